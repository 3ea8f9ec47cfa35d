import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { prepared, PreparedQueries } from '../database/prepared';
import { AccountEntity } from './account.entity';
import type { Role } from './roles';
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

  countActiveOwners(manager: EntityManager, accountId: string): Promise<number> {
    return manager.getRepository(UserEntity).countBy({ accountId, role: 'owner', isActive: true });
  }
}
