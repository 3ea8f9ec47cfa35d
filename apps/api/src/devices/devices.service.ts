import { Inject, Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService } from '@sessions/audit';
import type { EntityManager } from 'typeorm';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { notFound, validationFailed } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import type { RevokeReason, SessionEntity } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import type { DeviceSession } from './dto/session.dto';
import { decodeDeviceCursor, encodeDeviceCursor } from './device-cursor';
import { DEVICE_PAGE_MAX } from './dto/list-sessions.dto';
import { GeoIpService } from './geo-ip.service';

/**
 * "Where you're signed in": the caller's own sessions. Every query and every
 * revoke is scoped by the caller's account and user id, so another user's
 * session (in the same account or not) is indistinguishable from none at all.
 */
@Injectable()
export class DevicesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly sessions: SessionsService,
    private readonly geoIp: GeoIpService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A page of the caller's live sessions: the current one first (first page), then by
   * last use, newest first. `nextCursor` is null on the last page. The default page is
   * the live-session cap, so a client that does not page still sees every session.
   */
  async list(
    caller: AuthUser,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: DeviceSession[]; nextCursor: string | null }> {
    const after = page.cursor === undefined ? null : decodeDeviceCursor(page.cursor);
    if (page.cursor !== undefined && after === null) {
      throw validationFailed([{ field: 'cursor', message: 'cursor must be a Next-Cursor header returned by this endpoint' }]);
    }
    const limit = page.limit ?? Math.min(this.config.sessionMaxPerUser, DEVICE_PAGE_MAX);
    const { rows, more } = await this.sessions.devicesPage(
      { accountId: caller.accountId, userId: caller.userId, currentSessionId: caller.sessionId },
      after,
      limit,
    );
    const last = rows.at(-1);
    return {
      items: rows.map(({ session }) => ({ session, location: this.geoIp.lookup(session.ip), isCurrent: session.id === caller.sessionId })),
      nextCursor: more && last ? encodeDeviceCursor(last.cursor) : null,
    };
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
    return this.sessions.findLiveForUser(caller.accountId, caller.userId);
  }

  /** One `session.revoked` event per ended session, in the ending transaction. */
  private async recordRevoked(
    manager: EntityManager,
    caller: AuthUser,
    client: ClientInfo,
    sessionIds: readonly string[],
    reason: RevokeReason,
  ): Promise<void> {
    // One statement for all of them: a bulk sign-out must stay a constant number of round trips.
    await this.audit.recordMany(
      manager,
      auditContext(caller, client, this.clock.now()),
      sessionIds.map((sessionId) => ({
        action: 'session.revoked' as const,
        resourceType: 'session' as const,
        resourceId: sessionId,
        details: { session_id: sessionId, by: 'self', reason },
      })),
    );
  }
}
