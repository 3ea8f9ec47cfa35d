import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AccountEntity } from './account.entity';
import { UserEntity } from './user.entity';

@Injectable()
export class AccountsRepository {
  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

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
