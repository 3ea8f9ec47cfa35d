import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import type { AfterCommit } from '../database/transactions';
import { RevokeReason } from './session.entity';
import { SessionRevocations } from './session-revocations.service';
import { RevokeFilter, SessionsRepository } from './sessions.repository';

/** Ending sessions: one path for every reason, so the revocation cache is never forgotten. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly revocations: SessionRevocations,
    private readonly clock: Clock,
  ) {}

  /**
   * Ends the matching live sessions inside the caller's transaction and returns their
   * ids. Once it commits, this process refuses their access tokens at once; other
   * replicas learn it from the NOTIFY of the `sessions` trigger.
   */
  async revoke(manager: EntityManager, afterCommit: AfterCommit, filter: RevokeFilter, reason: RevokeReason): Promise<string[]> {
    const ids = await this.sessions.revoke(manager, filter, reason, this.clock.now());
    if (ids.length > 0) afterCommit(() => this.revocations.markRevoked(ids));
    return ids;
  }

  /** Ends the user's live sessions beyond the `keep` most recently used (`session_limit`); as {@link revoke}. */
  async endBeyondLimit(
    manager: EntityManager,
    afterCommit: AfterCommit,
    owner: { accountId: string; userId: string },
    keep: number,
  ): Promise<string[]> {
    const ids = await this.sessions.endBeyondLimit(manager, owner, keep, this.clock.now());
    if (ids.length > 0) afterCommit(() => this.revocations.markRevoked(ids));
    return ids;
  }

  /** Ends every user's live sessions beyond the `keep` most recently used (`session_limit`); as {@link revoke}. */
  async endBeyondAccountCap(
    manager: EntityManager,
    afterCommit: AfterCommit,
    accountId: string,
    keep: number,
  ): Promise<{ id: string; userId: string }[]> {
    const ended = await this.sessions.endBeyondAccountCap(manager, accountId, keep, this.clock.now());
    if (ended.length > 0) afterCommit(() => this.revocations.markRevoked(ended.map((s) => s.id)));
    return ended;
  }
}
