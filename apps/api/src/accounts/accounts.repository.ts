import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { prepared, PreparedQueries } from '../database/prepared';
import { liveSession } from '../common/live-session.sql';
import { AccountEntity } from './account.entity';
import type { Role } from '../common/auth/roles';
import { UserEntity } from './user.entity';

/** What `GET /api/auth/me` shows of a user. */
export interface UserProfile {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: Role;
}

/** The guarded read's one statement, prepared: no ORM on the hot path (issue 11). */
const USER_PROFILE_SQL = prepared<
  [userId: string, accountId: string],
  { id: string; account_id: string; email: string; name: string; role: Role }
>('users_profile', 'SELECT id, account_id, email, name, role FROM users WHERE id = $1 AND account_id = $2');

/** The account's and the role's limits, as stored (null: not overridden). */
export interface SessionTermsRow {
  session_idle_minutes: number | null;
  session_absolute_minutes: number | null;
  max_sessions_per_user: number | null;
  role_idle_minutes: number | null;
  role_absolute_minutes: number | null;
}

@Injectable()
export class AccountsRepository {
  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly prepared: PreparedQueries,
  ) {}

  async findProfile(accountId: string, userId: string): Promise<UserProfile | null> {
    const [row] = await this.prepared.rows(USER_PROFILE_SQL, [userId, accountId]);
    return row ? { id: row.id, accountId: row.account_id, email: row.email, name: row.name, role: row.role } : null;
  }

  findAccount(accountId: string, manager?: EntityManager): Promise<AccountEntity | null> {
    return (manager?.getRepository(AccountEntity) ?? this.accounts).findOneBy({ id: accountId });
  }

  /** Locks the account row so membership and policy changes of one account serialise. */
  lockAccount(manager: EntityManager, accountId: string): Promise<AccountEntity | null> {
    return manager.getRepository(AccountEntity).findOne({ where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  findUser(accountId: string, userId: string, manager?: EntityManager): Promise<UserEntity | null> {
    return (manager?.getRepository(UserEntity) ?? this.users).findOneBy({ id: userId, accountId });
  }

  listUsers(accountId: string): Promise<UserEntity[]> {
    return this.users.find({ where: { accountId }, order: { createdAt: 'ASC', email: 'ASC' } });
  }

  /**
   * Live sessions (signed-in devices) per user of one account: not revoked and inside
   * both deadlines, as the device list counts them. Walks `ix_sessions_account_live`;
   * users without one are absent from the map.
   */
  async countLiveSessions(accountId: string, now: Date, userId?: string, manager?: EntityManager): Promise<Map<string, number>> {
    const params: unknown[] = [accountId, now];
    const byUser = userId === undefined ? '' : `AND s.user_id = $${params.push(userId)}`;
    const rows: { user_id: string; count: number }[] = await (manager ?? this.users.manager).query(
      `SELECT s.user_id, count(*)::int AS count
         FROM sessions s
        WHERE s.account_id = $1 ${byUser}
          AND ${liveSession('s', '$2')}
        GROUP BY s.user_id`,
      params,
    );
    return new Map(rows.map((row) => [row.user_id, row.count]));
  }

  /**
   * What a sign-in snapshots: the account's overrides, the role's override and the
   * account's session cap, in one statement. `FOR KEY SHARE OF a` lets sign-ins of one
   * account run side by side but makes an owner's cap change (which holds the row's
   * write lock) wait for the sign-ins already reading the old cap and vice versa, so a
   * lowered cap is never undercut by a sign-in that read the old one.
   */
  async sessionTerms(manager: EntityManager, accountId: string, role: Role): Promise<SessionTermsRow | null> {
    const rows: SessionTermsRow[] = await manager.query(
      `SELECT a.session_idle_minutes, a.session_absolute_minutes, a.max_sessions_per_user,
              rp.idle_minutes AS role_idle_minutes, rp.absolute_minutes AS role_absolute_minutes
         FROM accounts a
         LEFT JOIN role_policies rp ON rp.account_id = a.id AND rp.role = $2
        WHERE a.id = $1
          FOR KEY SHARE OF a`,
      [accountId, role],
    );
    return rows[0] ?? null;
  }

  countActiveOwners(manager: EntityManager, accountId: string): Promise<number> {
    return manager.getRepository(UserEntity).countBy({ accountId, role: 'owner', isActive: true });
  }
}
