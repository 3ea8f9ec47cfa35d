import { Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService } from '@sessions/audit';
import type { EntityManager } from 'typeorm';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/problem';
import { Transactions } from '../database/transactions';
import type { RevokeReason, SessionEntity } from '../sessions/session.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';
import type { DeviceSession } from './dto/session.dto';
import { GeoIpService } from './geo-ip.service';

/**
 * "Where you're signed in": the caller's own sessions. Every query and every
 * revoke is scoped by the caller's account and user id, so another user's
 * session (in the same account or not) is indistinguishable from none at all.
 */
@Injectable()
export class DevicesService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly repository: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly geoIp: GeoIpService,
    private readonly audit: AuditService,
  ) {}

  /** The caller's live sessions: the current one first, then most recently used. */
  async list(caller: AuthUser): Promise<DeviceSession[]> {
    const live = await this.liveSessions(caller);
    return live
      .map((session) => ({
        session,
        location: this.geoIp.lookup(session.ip),
        isCurrent: session.id === caller.sessionId,
      }))
      .sort(byCurrentThenRecent);
  }

  /**
   * Ends one of the caller's live sessions. Anything else — another user's
   * session, an ended or expired one — is 404, never a hint that it exists.
   * Ending the current session signs the caller out.
   */
  async revoke(caller: AuthUser, sessionId: string, client: ClientInfo): Promise<void> {
    // Live means what the device list shows: an expired session that nobody
    // has marked ended yet is not "active" for the contract, so not the
    // caller's to revoke.
    const live = await this.liveSessions(caller);
    if (!live.some((session) => session.id === sessionId)) {
      throw notFound('No such active session.');
    }
    await this.transactions.run(async (manager, afterCommit) => {
      const ended = await this.sessions.revoke(
        manager,
        afterCommit,
        { accountId: caller.accountId, userId: caller.userId, sessionId },
        'device_revoked',
      );
      // Ended by someone else between the read and this statement.
      if (ended.length === 0) throw notFound('No such active session.');
      await this.recordRevoked(manager, caller, client, ended, 'device_revoked');
    });
  }

  /**
   * Ends every session of the caller but the current one and returns how many
   * ended; a second call returns 0. This is one statement over all of the
   * caller's not-yet-ended sessions, not only those the list shows as live:
   * a session past its deadlines that was never marked ended is ended too,
   * which can only make "sign out everywhere else" more thorough.
   */
  async revokeOthers(caller: AuthUser, client: ClientInfo): Promise<number> {
    return this.transactions.run(async (manager, afterCommit) => {
      const ended = await this.sessions.revoke(
        manager,
        afterCommit,
        {
          accountId: caller.accountId,
          userId: caller.userId,
          exceptSessionId: caller.sessionId,
        },
        'others_revoked',
      );
      await this.recordRevoked(manager, caller, client, ended, 'others_revoked');
      return ended.length;
    });
  }

  private liveSessions(caller: AuthUser): Promise<SessionEntity[]> {
    return this.repository.findLiveForUser(caller.accountId, caller.userId, this.clock.now());
  }

  /** One `session.revoked` event per ended session, in the ending transaction. */
  private async recordRevoked(
    manager: EntityManager,
    caller: AuthUser,
    client: ClientInfo,
    sessionIds: readonly string[],
    reason: RevokeReason,
  ): Promise<void> {
    const context = auditContext(caller, client, this.clock.now());
    for (const sessionId of sessionIds) {
      await this.audit.record(manager, context, {
        action: 'session.revoked',
        resourceType: 'session',
        resourceId: sessionId,
        details: { session_id: sessionId, by: 'self', reason },
      });
    }
  }
}

/**
 * Current first, then by last use (newest first). Ties — sessions signed in
 * within the same second — fall back to the newer sign-in, then the id, so
 * the order never changes between two identical calls.
 */
function byCurrentThenRecent(a: DeviceSession, b: DeviceSession): number {
  if (a.isCurrent !== b.isCurrent) return a.isCurrent ? -1 : 1;
  return (
    b.session.lastUsedAt.getTime() - a.session.lastUsedAt.getTime() ||
    b.session.createdAt.getTime() - a.session.createdAt.getTime() ||
    a.session.id.localeCompare(b.session.id)
  );
}
