import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
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
  /** The account requires external sign-in for members (ADR 0018/0020: then only an owner steps up by password). */
  requireExternalSignIn: boolean;
}

/** The guarded read's one statement, prepared: no ORM on the hot path (issue 11). */
const USER_PROFILE_SQL = prepared<
  [userId: string, accountId: string],
  { id: string; account_id: string; email: string; name: string; role: Role; require_external_sign_in: boolean }
>(
  'users_profile',
  `SELECT u.id, u.account_id, u.email, u.name, u.role, a.require_external_sign_in
     FROM users u JOIN accounts a ON a.id = u.account_id
    WHERE u.id = $1 AND u.account_id = $2`,
);

/** What a password sign-in needs of a user, and whether the account requires external sign-in. */
export interface SignInUser {
  id: string;
  accountId: string;
  role: Role;
  isActive: boolean;
  passwordHash: string;
  /** The account requires external sign-in for members (refused after the password proved right). */
  requireExternalSignIn: boolean;
}

/**
 * A password sign-in's user lookup with the account's SSO flag, prepared (issue 11: were
 * two ORM reads, each planned on every call). Served by `ux_users_email`.
 */
const SIGN_IN_USER_SQL = prepared<
  [email: string],
  { id: string; account_id: string; role: Role; is_active: boolean; password_hash: string; require_external_sign_in: boolean }
>(
  'users_sign_in',
  `SELECT u.id, u.account_id, u.role, u.is_active, u.password_hash, a.require_external_sign_in
     FROM users u JOIN accounts a ON a.id = u.account_id
    WHERE u.email = $1`,
);

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
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly prepared: PreparedQueries,
  ) {}

  async findProfile(accountId: string, userId: string): Promise<UserProfile | null> {
    const [row] = await this.prepared.rows(USER_PROFILE_SQL, [userId, accountId]);
    return row
      ? {
          id: row.id,
          accountId: row.account_id,
          email: row.email,
          name: row.name,
          role: row.role,
          requireExternalSignIn: row.require_external_sign_in,
        }
      : null;
  }

  findAccount(accountId: string): Promise<AccountEntity | null> {
    return this.txHost.tx.getRepository(AccountEntity).findOneBy({ id: accountId });
  }

  /** A new account with the default policy (no overrides). */
  async createAccount(name: string): Promise<AccountEntity> {
    const repository = this.txHost.tx.getRepository(AccountEntity);
    return repository.save(repository.create({ name, sessionIdleMinutes: null, sessionAbsoluteMinutes: null }));
  }

  /** The account's sign-in policy (issue 9): external sign-in required, accepted providers and email domains. */
  async updateSignInPolicy(
    accountId: string,
    policy: { requireExternalSignIn: boolean; allowedProviders: string[] | null; allowedEmailDomains: string[] | null },
  ): Promise<void> {
    await this.txHost.tx.update(
      AccountEntity,
      { id: accountId },
      {
        requireExternalSignIn: policy.requireExternalSignIn,
        allowedSignInProviders: policy.allowedProviders,
        allowedEmailDomains: policy.allowedEmailDomains,
      },
    );
  }

  /** Locks the account row so membership and policy changes of one account serialise. */
  lockAccount(accountId: string): Promise<AccountEntity | null> {
    return this.txHost.tx.getRepository(AccountEntity).findOne({ where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** The user a password sign-in checks (emails are stored lowercase). */
  async findSignInUser(email: string): Promise<SignInUser | null> {
    const [row] = await this.prepared.rows(SIGN_IN_USER_SQL, [email.toLowerCase()]);
    return row
      ? {
          id: row.id,
          accountId: row.account_id,
          role: row.role,
          isActive: row.is_active,
          passwordHash: row.password_hash,
          requireExternalSignIn: row.require_external_sign_in,
        }
      : null;
  }

  findUser(accountId: string, userId: string): Promise<UserEntity | null> {
    return this.txHost.tx.getRepository(UserEntity).findOneBy({ id: userId, accountId });
  }

  listUsers(accountId: string): Promise<UserEntity[]> {
    return this.users.find({ where: { accountId }, order: { createdAt: 'ASC', email: 'ASC' } });
  }

  /**
   * Live sessions (signed-in devices) per user of one account: not revoked and inside
   * both deadlines, as the device list counts them. Walks `ix_sessions_account_live`;
   * users without one are absent from the map.
   */
  async countLiveSessions(accountId: string, now: Date, userId?: string): Promise<Map<string, number>> {
    const params: unknown[] = [accountId, now];
    const byUser = userId === undefined ? '' : `AND s.user_id = $${params.push(userId)}`;
    const rows: { user_id: string; count: number }[] = await this.txHost.tx.query(
      `SELECT s.user_id, count(*)::int AS count
         FROM sessions s
        WHERE s.account_id = $1 ${byUser}
          AND ${liveSession('s', '$2')}
        GROUP BY s.user_id`,
      params,
    );
    return new Map(rows.map((row) => [row.user_id, row.count]));
  }

  countActiveOwners(accountId: string): Promise<number> {
    return this.txHost.tx.getRepository(UserEntity).countBy({ accountId, role: 'owner', isActive: true });
  }
}
