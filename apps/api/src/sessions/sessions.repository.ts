import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Role } from '../common/auth/roles';
import { prepared, PreparedQueries } from '../database/prepared';
import {
  expiryReason,
  insideDeadlines,
  liveSession,
  pastDeadline,
  tightenedAbsMaxSeconds,
  tightenedIdleMaxSeconds,
  type TighteningInputs,
} from '../common/live-session.sql';
import { AccountRevocation, ACCOUNT_REVOKED_CHANNEL, accountRevocationPayload, RECENT_MARGIN_SECONDS } from './account-revocation';
import { RevokeReason, SessionEntity } from './session.entity';

export interface NewSession {
  accountId: string;
  userId: string;
  authTime: Date;
  idleMaxSeconds: number;
  absMaxSeconds: number;
  userAgent: string | null;
  ip: string | null;
  jtiHash: Buffer;
}

export interface RotateParams {
  presentedJtiHash: Buffer;
  successorJtiHash: Buffer;
  now: Date;
  /** A legacy token carries no snapshot: take a fresh one from the current policy. */
  legacy: boolean;
  defaultIdleSeconds: number;
  defaultAbsoluteSeconds: number;
  userAgent: string | null;
  ip: string | null;
}

/** What the rotation statement saw; `rotated` false means consumed but refused. */
export interface RotateResult {
  sessionId: string;
  accountId: string;
  userId: string;
  role: Role;
  isActive: boolean;
  authTime: Date;
  presentedIssuedAt: Date;
  idleMaxSeconds: number;
  absMaxSeconds: number;
  rotated: boolean;
}

export interface RevokeFilter {
  accountId: string;
  sessionId?: string;
  userId?: string;
  exceptSessionId?: string;
  /** Spares every session of this user (the owner's "everyone except me"). */
  exceptUserId?: string;
}

/** The rotation's tightening reads the session `s`, its account `a` and its role's override `rp`. */
const TIGHTENING: TighteningInputs = {
  session: 's',
  account: 'a',
  role: 'rp',
  legacy: '$4',
  defaultIdleSeconds: '$5',
  defaultAbsoluteSeconds: '$6',
};

/**
 * Rotation in one statement (one round trip, atomic on its own):
 * 1. `consumed` marks the presented token used only if it is unused and its session
 *    is live — concurrent presenters serialise on the row lock and all but one see
 *    `used_at` set, so exactly one wins;
 * 2. the snapshot is tightened by the current policy of the user's *current* role —
 *    the account's, tightened by the role's override if any, idle capped at absolute
 *    (`tightenForRole`) — with LEAST, which skips the NULLs of an absent override; a
 *    legacy token takes that policy as is. The same rules as `tightenForRole` and
 *    `tightenSnapshot` in libs/session-policy, written once in `common/live-session.sql.ts` and
 *    checked against them by `test/deadline-rule.property.spec.ts`. So a stricter override, or a role whose
 *    override is stricter, reaches a live session at its next refresh, while a looser
 *    one never extends it;
 * 3. `successor` is inserted only when the user is active and neither deadline has
 *    passed (`now` at or past a deadline is expired); otherwise the token stays
 *    consumed, so an expired token cannot be replayed;
 * 4. the session is stamped with the activity, client and tightened snapshot.
 */
export const ROTATE_SQL = prepared<RotateValues, RotateRow>(
  'sessions_rotate',
  `
WITH consumed AS (
  UPDATE refresh_tokens rt
     SET used_at = $3
    FROM sessions s
    JOIN accounts a ON a.id = s.account_id
    JOIN users u ON u.id = s.user_id
    LEFT JOIN role_policies rp ON rp.account_id = s.account_id AND rp.role = u.role
   WHERE rt.jti_hash = $1
     AND rt.used_at IS NULL
     AND rt.session_id = s.id
     AND s.revoked_at IS NULL
  RETURNING rt.session_id, rt.account_id, s.user_id, u.role, u.is_active, s.auth_time,
            rt.issued_at AS presented_issued_at,
            ${tightenedIdleMaxSeconds(TIGHTENING)} AS idle_max_seconds,
            ${tightenedAbsMaxSeconds(TIGHTENING)} AS abs_max_seconds
),
successor AS (
  INSERT INTO refresh_tokens (session_id, account_id, jti_hash, issued_at)
  SELECT c.session_id, c.account_id, $2, $3
    FROM consumed c
   WHERE c.is_active
     AND ${insideDeadlines('c', '$3', 'presented_issued_at')}
  RETURNING session_id
),
touched AS (
  UPDATE sessions s
     SET last_used_at = $3, user_agent = COALESCE($7, s.user_agent), ip = COALESCE($8, s.ip),
         idle_max_seconds = c.idle_max_seconds, abs_max_seconds = c.abs_max_seconds
    FROM consumed c
    JOIN successor n ON n.session_id = c.session_id
   WHERE s.id = c.session_id
  RETURNING s.id
)
SELECT c.session_id, c.account_id, c.user_id, c.role, c.is_active, c.auth_time, c.presented_issued_at,
       c.idle_max_seconds, c.abs_max_seconds, EXISTS (SELECT 1 FROM touched) AS rotated
  FROM consumed c`,
);

type RotateValues = [Buffer, Buffer, Date, boolean, number, number, string | null, string | null];

interface RotateRow {
  session_id: string;
  account_id: string;
  user_id: string;
  role: Role;
  is_active: boolean;
  auth_time: Date;
  presented_issued_at: Date;
  idle_max_seconds: number;
  abs_max_seconds: number;
  rotated: boolean;
}

export interface UsedTokenInfo {
  sessionId: string;
  accountId: string;
  userId: string;
  usedAt: Date | null;
  sessionRevokedAt: Date | null;
  /** Set exactly when `sessionRevokedAt` is. */
  revokeReason: RevokeReason | null;
  /** The session row's deadlines (what the sweeper judges by). */
  authTime: Date;
  lastUsedAt: Date;
  idleMaxSeconds: number;
  absMaxSeconds: number;
}

interface UsedTokenRow {
  session_id: string;
  account_id: string;
  user_id: string;
  used_at: Date | null;
  revoked_at: Date | null;
  revoke_reason: RevokeReason | null;
  auth_time: Date;
  last_used_at: Date;
  idle_max_seconds: number;
  abs_max_seconds: number;
}

/** Where a device-list page starts: after this session in the list's order. */
export interface DeviceCursor {
  /** `last_used_at` and `created_at` in UTC with PostgreSQL's microseconds, so no session at a page edge is skipped. */
  lastUsedAt: string;
  createdAt: string;
  id: string;
}

export interface DevicePageRow {
  session: SessionEntity;
  /** This row's position, for the next page's cursor. */
  cursor: DeviceCursor;
}

/** Before every session: the first page. */
const FIRST: DeviceCursor = { lastUsedAt: 'infinity', createdAt: 'infinity', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };

const LIVE = liveSession('s', '$3');

// Named columns, never `*`: a prepared statement whose result shape changes (a migration adding a
// column) fails with "cached plan must not change result type" on every pooled connection.
const SESSION_COLUMNS =
  's.id, s.account_id, s.user_id, s.auth_time, s.idle_max_seconds, s.abs_max_seconds, s.user_agent, s.ip, s.created_at, s.last_used_at, s.revoked_at, s.revoke_reason';

const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of a user's live sessions: the current one first (on the first page only),
 * then the others by last use, newest first, keyset-paged on (last_used_at, created_at,
 * id) — served by \`ix_sessions_user_live\` (user_id, last_used_at) at any depth. The
 * redundant \`last_used_at <= cursor\` is the index-usable half of the row comparison.
 */
const DEVICES_PAGE_SQL = prepared<
  [
    accountId: string,
    userId: string,
    now: Date,
    currentId: string,
    withCurrent: boolean,
    lastUsedAt: string,
    createdAt: string,
    afterId: string,
    limit: number,
  ],
  SessionRow & { lu_at: string; cr_at: string }
>(
  'sessions_devices_page',
  `(SELECT ${SESSION_COLUMNS}, ${utc('s.last_used_at')} AS lu_at, ${utc('s.created_at')} AS cr_at
     FROM sessions s
    WHERE $5 AND s.id = $4 AND s.user_id = $2 AND s.account_id = $1 AND ${LIVE})
   UNION ALL
   (SELECT ${SESSION_COLUMNS}, ${utc('s.last_used_at')} AS lu_at, ${utc('s.created_at')} AS cr_at
      FROM sessions s
     WHERE s.user_id = $2 AND s.account_id = $1 AND s.id <> $4 AND ${LIVE}
       AND s.last_used_at <= $6::timestamptz
       AND (s.last_used_at, s.created_at, s.id) < ($6::timestamptz, $7::timestamptz, $8::uuid)
     ORDER BY s.last_used_at DESC, s.created_at DESC, s.id DESC
     LIMIT $9)`,
);

interface SessionRow {
  id: string;
  account_id: string;
  user_id: string;
  auth_time: Date;
  idle_max_seconds: number;
  abs_max_seconds: number;
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
  last_used_at: Date;
  revoked_at: Date | null;
  revoke_reason: RevokeReason | null;
}

function toSession(row: SessionRow): SessionEntity {
  return Object.assign(new SessionEntity(), {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    authTime: row.auth_time,
    idleMaxSeconds: Number(row.idle_max_seconds),
    absMaxSeconds: Number(row.abs_max_seconds),
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
  });
}

/**
 * The advisory lock key of the sweep (any bigint unique to this job). Each batch
 * transaction takes it with `pg_try_advisory_xact_lock`: one replica sweeps at a time,
 * the others skip their turn instead of queueing behind it (issue 14). A transaction
 * lock is released by COMMIT/ROLLBACK — or by the server when the connection dies —
 * so a crashed replica never leaves it held.
 */
export const SWEEP_LOCK_KEY = 7_314_120_001;

/**
 * Ends up to `$2` sessions past a deadline at `$1` (`expired_absolute` when the absolute
 * one passed, else `expired_idle`), skipping rows another transaction holds.
 */
const SWEEP_SQL = `
WITH expired AS (
  SELECT id,
         ${expiryReason('', '$1')} AS reason
    FROM sessions
   WHERE revoked_at IS NULL
     AND ${pastDeadline('', '$1')}
   LIMIT $2
   FOR UPDATE SKIP LOCKED
)
UPDATE sessions s SET revoked_at = $1, revoke_reason = e.reason
  FROM expired e
 WHERE s.id = e.id
RETURNING s.id`;

/** The SQL of the session lifecycle. Every statement is scoped by account or by a secret hash. */
@Injectable()
export class SessionsRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly dataSource: DataSource,
    private readonly prepared: PreparedQueries,
  ) {}

  /**
   * A new session with its first refresh token, in one statement (one round trip inside the
   * sign-in's transaction instead of two ORM inserts). Returns the session's id.
   *
   * Sign-in times are whole seconds (the unit of `auth_time`), so two sign-ins of one user in
   * the same second would tie on `last_used_at` and `created_at`, and "least recently used"
   * (cap at sign-in, a lowered account cap) would fall to the random id: the newest device
   * could end. So the new session's `created_at` is at least a microsecond after the user's
   * newest live session's: creation order breaks the tie exactly. The caller holds the user's
   * row lock (sign-ins of one user serialise), so the read cannot race another sign-in of the
   * user. `auth_time` and `last_used_at` stay the sign-in second: the deadlines (absolute from
   * `auth_time`, idle from `last_used_at`) are exactly the token's, which a nudged
   * `last_used_at` would move by a microsecond (a session alive at its own idle deadline).
   */
  async create(session: NewSession): Promise<{ id: string }> {
    const rows: { id: string }[] = await this.txHost.tx.query(
      `WITH s AS (
         INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, stamp.at, $3
           FROM (SELECT GREATEST($3::timestamptz, max(created_at) + interval '1 microsecond') AS at
                   FROM sessions WHERE user_id = $2 AND account_id = $1 AND revoked_at IS NULL) stamp
         RETURNING id)
       INSERT INTO refresh_tokens (session_id, account_id, jti_hash, issued_at)
       SELECT s.id, $1, $8, $3 FROM s
       RETURNING session_id AS id`,
      [
        session.accountId,
        session.userId,
        session.authTime,
        session.idleMaxSeconds,
        session.absMaxSeconds,
        session.userAgent,
        session.ip,
        session.jtiHash,
      ],
    );
    return { id: rows[0].id };
  }

  async rotate(params: RotateParams): Promise<RotateResult | null> {
    const rows = await this.prepared.rows(ROTATE_SQL, [
      params.presentedJtiHash,
      params.successorJtiHash,
      params.now,
      params.legacy,
      params.defaultIdleSeconds,
      params.defaultAbsoluteSeconds,
      params.userAgent,
      params.ip,
    ]);
    const row = rows[0];
    if (!row) return null;
    return {
      sessionId: row.session_id,
      accountId: row.account_id,
      userId: row.user_id,
      role: row.role,
      isActive: row.is_active,
      authTime: row.auth_time,
      presentedIssuedAt: row.presented_issued_at,
      idleMaxSeconds: Number(row.idle_max_seconds),
      absMaxSeconds: Number(row.abs_max_seconds),
      rotated: row.rotated,
    };
  }

  /**
   * Cold path after a refused rotation (and logout): the token's session, live or
   * ended, with why it ended and its deadlines. Never on the happy path.
   */
  async findByJtiHash(jtiHash: Buffer): Promise<UsedTokenInfo | null> {
    const rows: UsedTokenRow[] = await this.dataSource.query(
      `SELECT rt.session_id, rt.account_id, s.user_id, rt.used_at, s.revoked_at, s.revoke_reason,
              s.auth_time, s.last_used_at, s.idle_max_seconds, s.abs_max_seconds
         FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
        WHERE rt.jti_hash = $1`,
      [jtiHash],
    );
    const row = rows[0];
    return row
      ? {
          sessionId: row.session_id,
          accountId: row.account_id,
          userId: row.user_id,
          usedAt: row.used_at,
          sessionRevokedAt: row.revoked_at,
          revokeReason: row.revoke_reason,
          authTime: row.auth_time,
          lastUsedAt: row.last_used_at,
          idleMaxSeconds: Number(row.idle_max_seconds),
          absMaxSeconds: Number(row.abs_max_seconds),
        }
      : null;
  }

  /** Ends the matching live sessions; returns their ids (so a second call returns none). */
  async revoke(filter: RevokeFilter, reason: RevokeReason, now: Date): Promise<string[]> {
    const params: unknown[] = [now, reason, filter.accountId];
    const where = ['account_id = $3', 'revoked_at IS NULL'];
    if (filter.sessionId !== undefined) where.push(`id = $${params.push(filter.sessionId)}`);
    if (filter.userId !== undefined) where.push(`user_id = $${params.push(filter.userId)}`);
    if (filter.exceptSessionId !== undefined) where.push(`id <> $${params.push(filter.exceptSessionId)}`);
    if (filter.exceptUserId !== undefined) where.push(`user_id <> $${params.push(filter.exceptUserId)}`);
    const result: [{ id: string }[], number] = await this.txHost.tx.query(
      `UPDATE sessions SET revoked_at = $1, revoke_reason = $2 WHERE ${where.join(' AND ')} RETURNING id`,
      params,
    );
    return result[0].map((row) => row.id);
  }

  /**
   * Ends every live session of an account (but the excepted user's) with `reason`, and
   * notifies the replicas with one account-level message instead of one id per session
   * (ADR 0028): the statement turns the trigger's per-row notification off for itself, and
   * returns only how many ended and the ids of sessions used in the last
   * {@link RECENT_MARGIN_SECONDS} — the ones that may hold a token issued in the second of
   * `now` or later, which the account rule does not cover. All inside the caller's
   * transaction: a rollback notifies nobody.
   */
  async revokeAccountWide(
    target: { accountId: string; exceptUserId?: string },
    reason: RevokeReason,
    now: Date,
  ): Promise<{ count: number; recentIds: string[]; rule: AccountRevocation }> {
    const rule: AccountRevocation = {
      accountId: target.accountId,
      issuedBefore: Math.floor(now.getTime() / 1000),
      exceptUserId: target.exceptUserId ?? null,
    };
    const recentSince = new Date((rule.issuedBefore - RECENT_MARGIN_SECONDS) * 1000);
    const tx = this.txHost.tx;
    await tx.query(`SELECT set_config('sessions.revocation_notify', 'account', true)`);
    const [row]: [{ count: number; recent: string | null }] = await tx.query(
      `WITH ended AS (
         UPDATE sessions SET revoked_at = $1, revoke_reason = $2
          WHERE account_id = $3 AND revoked_at IS NULL AND ($4::uuid IS NULL OR user_id <> $4::uuid)
         RETURNING CASE WHEN last_used_at >= $5 THEN id END AS recent)
       SELECT count(*)::int AS count, string_agg(recent::text, ',') AS recent FROM ended`,
      [now, reason, target.accountId, rule.exceptUserId, recentSince],
    );
    const recentIds = row.recent ? row.recent.split(',') : [];
    if (row.count === 0) {
      await tx.query(`SELECT set_config('sessions.revocation_notify', '', true)`);
      return { count: 0, recentIds, rule };
    }
    // The setting off again (later statements of the transaction notify per id), then the
    // account rule and the recent ids, as the trigger would send them (≤ 200 per payload).
    await tx.query(`SELECT set_config('sessions.revocation_notify', '', true), pg_notify($1, $2)`, [
      ACCOUNT_REVOKED_CHANNEL,
      accountRevocationPayload(rule),
    ]);
    if (recentIds.length > 0) {
      await tx.query(`SELECT pg_notify('session_revoked', chunk) FROM unnest($1::text[]) chunk`, [
        chunks(recentIds, 200).map((ids) => ids.join(',')),
      ]);
    }
    return { count: row.count, recentIds, rule };
  }

  /**
   * Up to `limit` of a user's live sessions after `after` (the first page when null): the
   * current session heads the first page. Asks for one more than it returns, so the caller
   * knows whether another page follows.
   */
  async devicesPage(
    owner: { accountId: string; userId: string; currentSessionId: string },
    now: Date,
    after: DeviceCursor | null,
    limit: number,
  ): Promise<{ rows: DevicePageRow[]; more: boolean }> {
    const from = after ?? FIRST;
    const othersLimit = after ? limit : limit - 1;
    const rows = await this.prepared.rows(DEVICES_PAGE_SQL, [
      owner.accountId,
      owner.userId,
      now,
      owner.currentSessionId,
      after === null,
      from.lastUsedAt,
      from.createdAt,
      from.id,
      othersLimit + 1,
    ]);
    const page = rows.slice(0, limit).map((row) => ({
      session: toSession(row),
      cursor: { lastUsedAt: row.lu_at, createdAt: row.cr_at, id: row.id },
    }));
    return { rows: page, more: rows.length > limit };
  }

  /**
   * Ends the user's live sessions beyond the `keep` most recently used, with reason
   * `session_limit`; returns their ids. The caller holds the user's row lock (sign-ins of
   * one user serialise on it), so two sign-ins at the cap cannot both keep `keep`.
   */
  async endBeyondLimit(owner: { accountId: string; userId: string }, keep: number, now: Date): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await this.txHost.tx.query(
      `UPDATE sessions SET revoked_at = $1, revoke_reason = 'session_limit'
        WHERE revoked_at IS NULL
          AND id IN (SELECT s.id FROM sessions s
                      WHERE s.user_id = $2 AND s.account_id = $4 AND ${liveSession('s', '$1')}
                      ORDER BY s.last_used_at DESC, s.created_at DESC, s.id DESC
                     OFFSET $3)
        RETURNING id`,
      [now, owner.userId, keep, owner.accountId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Ends, for every user of the account, the live sessions beyond the `keep` most recently
   * used (`session_limit`), in one statement: an owner lowering the account's cap. Returns
   * the ended sessions with their users, for the audit rows. The caller holds the account
   * row's write lock, so no sign-in reading the old cap commits in between.
   */
  async endBeyondAccountCap(accountId: string, keep: number, now: Date): Promise<{ id: string; userId: string }[]> {
    const [rows]: [{ id: string; user_id: string }[], number] = await this.txHost.tx.query(
      `UPDATE sessions SET revoked_at = $1, revoke_reason = 'session_limit'
        WHERE revoked_at IS NULL
          AND id IN (SELECT ranked.id FROM (
                       SELECT s.id, row_number() OVER (PARTITION BY s.user_id
                                                       ORDER BY s.last_used_at DESC, s.created_at DESC, s.id DESC) AS rank
                         FROM sessions s
                        WHERE s.account_id = $2 AND ${liveSession('s', '$1')}) ranked
                      WHERE ranked.rank > $3)
        RETURNING id, user_id`,
      [now, accountId, keep],
    );
    return rows.map((row) => ({ id: row.id, userId: row.user_id }));
  }

  /** A user's live sessions: not revoked and inside both deadlines. Served by `ix_sessions_user_live`. */
  async findLiveForUser(accountId: string, userId: string, now: Date): Promise<SessionEntity[]> {
    return this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId AND s.account_id = :accountId', { userId, accountId })
      .andWhere(liveSession('s', ':now'), { now })
      .orderBy('s.last_used_at', 'DESC')
      .getMany();
  }

  /**
   * Takes the sweep's transaction-scoped advisory lock if free (see {@link SWEEP_LOCK_KEY});
   * false when another replica is sweeping.
   */
  async tryTakeSweepLock(): Promise<boolean> {
    const [{ locked }]: [{ locked: boolean }] = await this.txHost.tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      SWEEP_LOCK_KEY,
    ]);
    return locked;
  }

  /** Ends up to `limit` sessions past a deadline at `now` (the sweeper's batch); returns their ids. */
  async endExpired(now: Date, limit: number): Promise<string[]> {
    const [ended]: [{ id: string }[], number] = await this.txHost.tx.query(SWEEP_SQL, [now, limit]);
    return ended.map((row) => row.id);
  }

  /**
   * Deletes rate-limit counters expired before `nowMs`. They read as absent already; the
   * sweeper deletes them only to keep the table small.
   */
  async deleteExpiredRateLimits(nowMs: number): Promise<void> {
    await this.txHost.tx.query('DELETE FROM rate_limits WHERE expire < $1', [nowMs]);
  }

  /** Ids of the sessions ended after `since` (the revocation cache's reload). */
  async endedSince(since: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at > $1', [
      since,
    ]);
    return rows.map((row) => row.id);
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
