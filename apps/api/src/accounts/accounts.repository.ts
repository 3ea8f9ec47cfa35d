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
        WHERE s.account_id = $1 AND s.revoked_at IS NULL ${byUser}
          AND s.auth_time + make_interval(secs => s.abs_max_seconds) > $2
          AND s.last_used_at + make_interval(secs => s.idle_max_seconds) > $2
        GROUP BY s.user_id`,
      params,
    );
    return new Map(rows.map((row) => [row.user_id, row.count]));
  }

  countActiveOwners(manager: EntityManager, accountId: string): Promise<number> {
    return manager.getRepository(UserEntity).countBy({ accountId, role: 'owner', isActive: true });
  }
}
