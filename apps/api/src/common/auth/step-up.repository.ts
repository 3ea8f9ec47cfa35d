import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { liveSession } from '../live-session.sql';

/** Whose session: every statement is scoped by account and user as well as by session id. */
export interface SessionOwner {
  accountId: string;
  userId: string;
  sessionId: string;
}

/**
 * The session's last authentication: the later of its sign-in (`auth_time`) and its last
 * step-up. No row when the session has ended or its user is deactivated — a token the
 * revocation cache has not caught up with yet is refused here, with the database as truth.
 */
const LAST_AUTHENTICATED_SQL = `
SELECT GREATEST(s.auth_time, COALESCE(s.reauthenticated_at, s.auth_time)) AS authenticated_at
  FROM sessions s
  JOIN users u ON u.id = s.user_id
 WHERE s.id = $1 AND s.account_id = $2 AND s.user_id = $3
   AND s.revoked_at IS NULL
   AND u.is_active`;

/**
 * Stamps a step-up on a session that is still live at `now` (not ended, neither deadline
 * passed). GREATEST: concurrent step-ups never move the stamp backwards. `auth_time` is
 * not touched, so the absolute deadline (`auth_time + abs_max`) stays where it was.
 */
const STAMP_SQL = `
UPDATE sessions s
   SET reauthenticated_at = GREATEST(COALESCE(s.reauthenticated_at, s.auth_time), $4)
 WHERE s.id = $1 AND s.account_id = $2 AND s.user_id = $3
   AND ${liveSession('s', '$4')}
RETURNING s.reauthenticated_at`;

/**
 * The provider's step-up (ADR 0020): stamps like STAMP_SQL, but only a session not stamped
 * since the flow started ($5) and whose user is active — so one flow stamps at most once
 * (a replayed callback finds the stamp) and a deactivated user's flow stamps nothing.
 */
const STAMP_ONCE_SQL = `
UPDATE sessions s
   SET reauthenticated_at = GREATEST(COALESCE(s.reauthenticated_at, s.auth_time), $4)
  FROM users u
 WHERE s.id = $1 AND s.account_id = $2 AND s.user_id = $3
   AND u.id = s.user_id AND u.is_active
   AND (s.reauthenticated_at IS NULL OR s.reauthenticated_at < $5)
   AND ${liveSession('s', '$4')}
RETURNING s.reauthenticated_at`;

/** A live session's own step-up stamp (null: none yet); no row when it ended or its user is deactivated. */
const STAMP_OF_SQL = `
SELECT s.reauthenticated_at
  FROM sessions s
  JOIN users u ON u.id = s.user_id
 WHERE s.id = $1 AND s.account_id = $2 AND s.user_id = $3
   AND s.revoked_at IS NULL
   AND u.is_active`;

/** The SQL of step-up: read a session's freshness, stamp a re-authentication. */
@Injectable()
export class StepUpRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly dataSource: DataSource,
  ) {}

  /** Null when the session ended or the user was deactivated. One primary-key read. */
  async lastAuthenticatedAt(owner: SessionOwner): Promise<Date | null> {
    const rows: { authenticated_at: Date }[] = await this.dataSource.query(LAST_AUTHENTICATED_SQL, [
      owner.sessionId,
      owner.accountId,
      owner.userId,
    ]);
    return rows[0]?.authenticated_at ?? null;
  }

  /** `live: false` when the session ended or the user was deactivated; else its last step-up stamp, if any. */
  async stampOf(owner: SessionOwner): Promise<{ live: boolean; reauthenticatedAt: Date | null }> {
    const rows: { reauthenticated_at: Date | null }[] = await this.dataSource.query(STAMP_OF_SQL, [
      owner.sessionId,
      owner.accountId,
      owner.userId,
    ]);
    return { live: rows.length > 0, reauthenticatedAt: rows[0]?.reauthenticated_at ?? null };
  }

  /** The new stamp, or null when the session is no longer live. */
  async stamp(owner: SessionOwner, now: Date): Promise<Date | null> {
    const [rows] = (await this.txHost.tx.query(STAMP_SQL, [owner.sessionId, owner.accountId, owner.userId, now])) as [
      { reauthenticated_at: Date }[],
      number,
    ];
    return rows[0]?.reauthenticated_at ?? null;
  }

  /** The new stamp, or null when the session is no longer live or was stamped since `since`. */
  async stampOnce(owner: SessionOwner, now: Date, since: Date): Promise<Date | null> {
    const [rows] = (await this.txHost.tx.query(STAMP_ONCE_SQL, [owner.sessionId, owner.accountId, owner.userId, now, since])) as [
      { reauthenticated_at: Date }[],
      number,
    ];
    return rows[0]?.reauthenticated_at ?? null;
  }
}
