import { Injectable } from '@nestjs/common';
import { AuditService } from '@sessions/audit';
import type { EntityManager } from 'typeorm';
import { auditContext } from '../common/audit-context';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/problem';
import { Transactions } from '../database/transactions';
import type { DeviceSession } from '../devices/dto/session.dto';
import { GeoIpService } from '../devices/geo-ip.service';
import { SessionsService } from '../sessions/sessions.service';
import { AccountsRepository } from './accounts.repository';

/**
 * An owner's view of one member's sessions ("where is Ada signed in?") and the
 * sign-out an owner needs after a lost laptop. The member is looked up in the
 * caller's account first: a member or session of another account is 404, the same
 * answer as one that never existed.
 */
@Injectable()
export class MemberSessionsService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsService,
    private readonly geoIp: GeoIpService,
    private readonly audit: AuditService,
  ) {}

  /** The member's live sessions, most recently used first. */
  async list(caller: AuthUser, memberId: string): Promise<DeviceSession[]> {
    await this.requireMember(caller, memberId);
    const live = await this.sessions.findLiveForUser(caller.accountId, memberId);
    return live.map((session) => ({ session, location: this.geoIp.lookup(session.ip), isCurrent: session.id === caller.sessionId }));
  }

  /** Ends one live session of the member; anything else (ended, expired, someone else's) is 404. */
  async revokeOne(caller: AuthUser, memberId: string, sessionId: string, client: ClientInfo): Promise<void> {
    await this.requireMember(caller, memberId);
    const live = await this.sessions.findLiveForUser(caller.accountId, memberId);
    if (!live.some((session) => session.id === sessionId)) throw notFound('No such active session of this member.');
    await this.transactions.run(async (manager, afterCommit) => {
      const ended = await this.sessions.revoke(
        manager,
        afterCommit,
        { accountId: caller.accountId, userId: memberId, sessionId },
        'owner_revoked',
      );
      // Ended by someone else between the read and this statement.
      if (ended.length === 0) throw notFound('No such active session of this member.');
      await this.recordRevoked(manager, caller, client, memberId, ended);
    });
  }

  /**
   * Ends every not-yet-ended session of the member and returns how many ended (0 on a
   * repeat). Like "sign out my other devices", sessions past a deadline that nobody
   * marked ended yet are ended too.
   */
  async revokeAll(caller: AuthUser, memberId: string, client: ClientInfo): Promise<number> {
    await this.requireMember(caller, memberId);
    return this.transactions.run(async (manager, afterCommit) => {
      const ended = await this.sessions.revoke(manager, afterCommit, { accountId: caller.accountId, userId: memberId }, 'owner_revoked');
      await this.recordRevoked(manager, caller, client, memberId, ended);
      return ended.length;
    });
  }

  private async requireMember(caller: AuthUser, memberId: string): Promise<void> {
    if (!(await this.accounts.findUser(caller.accountId, memberId))) throw notFound('No such member in this account.');
  }

  /** One `session.revoked` event per ended session, in the ending transaction. */
  private async recordRevoked(
    manager: EntityManager,
    caller: AuthUser,
    client: ClientInfo,
    memberId: string,
    sessionIds: readonly string[],
  ): Promise<void> {
    // One statement for all of them: a bulk sign-out must stay a constant number of round trips.
    await this.audit.recordMany(
      manager,
      auditContext(caller, client, this.clock.now()),
      sessionIds.map((sessionId) => ({
        action: 'session.revoked' as const,
        resourceType: 'session' as const,
        resourceId: sessionId,
        details: { session_id: sessionId, by: 'owner', reason: 'owner_revoked', user_id: memberId },
      })),
    );
  }
}
