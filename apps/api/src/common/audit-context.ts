import type { AuditContext } from '@sessions/audit';
import type { ClientInfo } from './auth-user';

/** Who acted (a user of an account) and from where: the context of every audit row. */
export function auditContext(actor: { accountId: string; userId: string }, client: ClientInfo, occurredAt: Date): AuditContext {
  return { accountId: actor.accountId, actorUserId: actor.userId, ip: client.ip, userAgent: client.userAgent, occurredAt };
}
