import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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

/** The SQL of step-up: read a session's freshness, stamp a re-authentication. */
@Injectable()
export class StepUpRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Null when the session ended or the user was deactivated. One primary-key read. */
  async lastAuthenticatedAt(owner: SessionOwner): Promise<Date | null> {
    const rows: { authenticated_at: Date }[] = await this.dataSource.query(LAST_AUTHENTICATED_SQL, [
      owner.sessionId,
      owner.accountId,
      owner.userId,
    ]);
    return rows[0]?.authenticated_at ?? null;
  }

  /** The new stamp, or null when the session is no longer live. */
  async stamp(manager: EntityManager, owner: SessionOwner, now: Date): Promise<Date | null> {
    const [rows] = (await manager.query(STAMP_SQL, [owner.sessionId, owner.accountId, owner.userId, now])) as [
      { reauthenticated_at: Date }[],
      number,
    ];
    return rows[0]?.reauthenticated_at ?? null;
  }
}
