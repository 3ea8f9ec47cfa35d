import { Injectable } from '@nestjs/common';
import type { PolicyOverrides } from '@sessions/session-policy';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { liveSession } from '../common/live-session.sql';

export interface ActiveUserRow {
  userId: string;
  name: string;
  email: string;
  lastLoginAt: Date | null;
  /** Live sessions (signed-in devices) of the user. */
  sessionCount: number;
}

/**
 * Users of one account with at least one live session — not revoked and inside both
 * deadlines of its snapshot (`auth_time + abs_max`, `last_used_at + idle_max`) — each
 * once, with how many devices they are signed in on. The scan walks
 * `ix_sessions_account_live`, so it grows with the account's live sessions only.
 */
const ACTIVE_USERS_SQL = `
SELECT u.id AS user_id, u.name, u.email, u.last_login_at, count(*)::int AS session_count
  FROM sessions s
  JOIN users u ON u.id = s.user_id AND u.account_id = $1
 WHERE s.account_id = $1
   AND ${liveSession('s', '$2')}
 GROUP BY u.id
 ORDER BY u.last_login_at DESC NULLS LAST, u.email ASC`;

/** The SQL of the account-security page; every statement is scoped by the caller's account. */
@Injectable()
export class AccountSecurityRepository {
  constructor(private readonly dataSource: DataSource) {}

  async updatePolicy(manager: EntityManager, accountId: string, overrides: PolicyOverrides): Promise<void> {
    await manager.update(
      AccountEntity,
      { id: accountId },
      { sessionIdleMinutes: overrides.idleMinutes, sessionAbsoluteMinutes: overrides.absoluteMinutes },
    );
  }

  async updateSessionCap(manager: EntityManager, accountId: string, cap: number | null): Promise<void> {
    await manager.update(AccountEntity, { id: accountId }, { maxSessionsPerUser: cap });
  }

  async findActiveUsers(accountId: string, now: Date): Promise<ActiveUserRow[]> {
    const rows: { user_id: string; name: string; email: string; last_login_at: Date | null; session_count: number }[] =
      await this.dataSource.query(ACTIVE_USERS_SQL, [accountId, now]);
    return rows.map((row) => ({
      userId: row.user_id,
      name: row.name,
      email: row.email,
      lastLoginAt: row.last_login_at,
      sessionCount: row.session_count,
    }));
  }
}
