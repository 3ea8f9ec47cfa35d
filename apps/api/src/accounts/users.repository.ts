import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Role } from '../common/auth/roles';
import { prepared, PreparedQueries } from '../database/prepared';
import type { SessionTermsRow } from './accounts.repository';
import { UserEntity } from './user.entity';

export interface NewUser {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/**
 * A sign-in's first statement, prepared (issue 11: were two, each planned on every call):
 * reads the account's session policy, the role's override and the account's session cap,
 * and stamps the user's `last_login_at`. Locks, in the order owners' changes take them
 * (account, then user), so the two never deadlock: the account row FOR KEY SHARE as the
 * sub-select emits it, then the user's row as the UPDATE writes it. The key-share lets
 * sign-ins of one account run side by side but makes an owner's cap change (which holds the
 * account row's write lock) wait for the sign-ins already reading the old cap and vice versa,
 * so a lowered cap is never undercut by a sign-in that read the old one. The user's row lock
 * serialises sign-ins of one user until commit, so the next statements (ending sessions
 * beyond the cap, inserting the new one) see every earlier sign-in's session.
 */
const SIGN_IN_STAMP_SQL = prepared<[userId: string, accountId: string, now: Date, role: Role], SessionTermsRow>(
  'users_sign_in_stamp',
  `UPDATE users u SET last_login_at = $3
     FROM (SELECT a.session_idle_minutes, a.session_absolute_minutes, a.max_sessions_per_user,
                  rp.idle_minutes AS role_idle_minutes, rp.absolute_minutes AS role_absolute_minutes
             FROM accounts a
             LEFT JOIN role_policies rp ON rp.account_id = a.id AND rp.role = $4
            WHERE a.id = $2
              FOR KEY SHARE OF a) t
    WHERE u.id = $1 AND u.account_id = $2
   RETURNING t.session_idle_minutes, t.session_absolute_minutes, t.max_sessions_per_user, t.role_idle_minutes, t.role_absolute_minutes`,
);

/**
 * Every write to `users` (issue 13): sign-up's owner, added members, role and active
 * changes, password changes, the sign-in stamp and the demo seed. Each runs in the
 * caller's transaction when there is one (`Transactions.run`).
 */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly prepared: PreparedQueries,
  ) {}

  /** Inserts an active user who never signed in; a taken email is a unique violation. */
  async create(user: NewUser): Promise<UserEntity> {
    const repository = this.txHost.tx.getRepository(UserEntity);
    return repository.save(repository.create({ ...user, isActive: true, lastLoginAt: null }));
  }

  /**
   * Stamps a sign-in on the user and returns the account's and role's session terms, in the
   * sign-in's transaction, taking the account's key-share and the user's row lock (see
   * {@link SIGN_IN_STAMP_SQL}). Null when the user is gone (the session insert then fails).
   */
  async recordSignIn(accountId: string, userId: string, role: Role, now: Date): Promise<SessionTermsRow | null> {
    const [row] = await this.prepared.inTransaction(this.txHost.tx, SIGN_IN_STAMP_SQL, [userId, accountId, now, role]);
    return row ?? null;
  }

  async setPasswordHash(accountId: string, userId: string, passwordHash: string): Promise<void> {
    await this.txHost.tx.update(UserEntity, { id: userId, accountId }, { passwordHash });
  }

  async setRoleAndActive(accountId: string, userId: string, role: Role, isActive: boolean): Promise<void> {
    await this.txHost.tx.update(UserEntity, { id: userId, accountId }, { role, isActive });
  }
}
