import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Role } from '../common/auth/roles';
import { UserEntity } from './user.entity';

export interface NewUser {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/**
 * Every write to `users` (issue 13): sign-up's owner, added members, role and active
 * changes, password changes, the sign-in stamp and the demo seed. Each runs in the
 * caller's transaction when there is one (`Transactions.run`).
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Inserts an active user who never signed in; a taken email is a unique violation. */
  async create(user: NewUser): Promise<UserEntity> {
    const repository = this.txHost.tx.getRepository(UserEntity);
    return repository.save(repository.create({ ...user, isActive: true, lastLoginAt: null }));
  }

  /**
   * Stamps a sign-in. Also the user's row lock until commit: sign-ins of one user
   * serialise on it (the session cap relies on that).
   */
  async recordSignIn(accountId: string, userId: string, now: Date): Promise<void> {
    await this.txHost.tx.query('UPDATE users SET last_login_at = $1 WHERE id = $2 AND account_id = $3', [now, userId, accountId]);
  }

  async setPasswordHash(accountId: string, userId: string, passwordHash: string): Promise<void> {
    await this.txHost.tx.update(UserEntity, { id: userId, accountId }, { passwordHash });
  }

  async setRoleAndActive(accountId: string, userId: string, role: Role, isActive: boolean): Promise<void> {
    await this.txHost.tx.update(UserEntity, { id: userId, accountId }, { role, isActive });
  }
}
