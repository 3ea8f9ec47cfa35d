import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Transactions } from '../database/transactions';
import { SessionRevocations } from './session-revocations.service';
import { RevokeReason, SessionEntity } from './session.entity';
import type { DeviceCursor, DevicePageRow, NewSession, RotateParams, RotateResult, UsedTokenInfo } from './sessions.repository';
import { RevokeFilter, SessionsRepository } from './sessions.repository';

/**
 * The sessions module's face to the others: starting, rotating, listing and ending
 * sessions. Ending has one path for every reason, so the revocation cache is never
 * forgotten. The repository (the SQL) is this module's own.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly revocations: SessionRevocations,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
  ) {}

  /**
   * Ends the matching live sessions inside the caller's transaction and returns their
   * ids. Once it commits, this process refuses their access tokens at once; other
   * replicas learn it from the NOTIFY of the `sessions` trigger.
   */
  async revoke(filter: RevokeFilter, reason: RevokeReason): Promise<string[]> {
    const ids = await this.sessions.revoke(filter, reason, this.clock.now());
    if (ids.length > 0) this.transactions.afterCommit(() => this.revocations.markRevoked(ids));
    return ids;
  }

  /**
   * Ends every live session of an account — but the excepted user's — inside the caller's
   * transaction and returns how many ended. Replicas learn it as one account-level rule
   * (ADR 0028), and this process holds the same rule once it commits.
   */
  async revokeAccountWide(target: { accountId: string; exceptUserId?: string }, reason: RevokeReason): Promise<number> {
    const { count, recentIds, rule } = await this.sessions.revokeAccountWide(target, reason, this.clock.now());
    if (count > 0) {
      this.transactions.afterCommit(() => {
        this.revocations.markAccountRevoked(rule);
        this.revocations.markRevoked(recentIds);
      });
    }
    return count;
  }

  /** Ends the user's live sessions beyond the `keep` most recently used (`session_limit`); as {@link revoke}. */
  async endBeyondLimit(owner: { accountId: string; userId: string }, keep: number): Promise<string[]> {
    const ids = await this.sessions.endBeyondLimit(owner, keep, this.clock.now());
    if (ids.length > 0) this.transactions.afterCommit(() => this.revocations.markRevoked(ids));
    return ids;
  }

  /** Ends every user's live sessions beyond the `keep` most recently used (`session_limit`); as {@link revoke}. */
  async endBeyondAccountCap(accountId: string, keep: number): Promise<{ id: string; userId: string }[]> {
    const ended = await this.sessions.endBeyondAccountCap(accountId, keep, this.clock.now());
    if (ended.length > 0) this.transactions.afterCommit(() => this.revocations.markRevoked(ended.map((s) => s.id)));
    return ended;
  }

  /** A new session with its first refresh token, inside the sign-in's transaction; returns its id. */
  create(session: NewSession): Promise<{ id: string }> {
    return this.sessions.create(session);
  }

  /** The refresh rotation: one prepared statement on the pool (see `ROTATE_SQL`). */
  rotate(params: RotateParams): Promise<RotateResult | null> {
    return this.sessions.rotate(params);
  }

  /** A refresh token's session, live or ended, with why it ended (cold path after a refusal). */
  findByJtiHash(jtiHash: Buffer): Promise<UsedTokenInfo | null> {
    return this.sessions.findByJtiHash(jtiHash);
  }

  /** One page of a user's live sessions, the current one first (see the repository's `devicesPage`). */
  devicesPage(
    owner: { accountId: string; userId: string; currentSessionId: string },
    after: DeviceCursor | null,
    limit: number,
  ): Promise<{ rows: DevicePageRow[]; more: boolean }> {
    return this.sessions.devicesPage(owner, this.clock.now(), after, limit);
  }

  /** A user's live sessions, most recently used first. */
  findLiveForUser(accountId: string, userId: string): Promise<SessionEntity[]> {
    return this.sessions.findLiveForUser(accountId, userId, this.clock.now());
  }
}
