import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { UserIdentityEntity } from './user-identity.entity';

/** Identity links; every read of a user's links is scoped by account and user. */
@Injectable()
export class IdentitiesRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @InjectRepository(UserIdentityEntity) private readonly identities: Repository<UserIdentityEntity>,
  ) {}

  findBySubject(provider: string, subject: string): Promise<UserIdentityEntity | null> {
    return this.identities.findOneBy({ provider, subject });
  }

  listForUser(accountId: string, userId: string): Promise<UserIdentityEntity[]> {
    return this.txHost.tx.getRepository(UserIdentityEntity).find({
      where: { accountId, userId },
      order: { linkedAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Links (provider, subject) to the user unless it already is linked — to anyone: a
   * concurrent first sign-in may have linked it a moment ago. Returns the row that
   * holds the pair and whether this call created it.
   */
  async link(
    row: Pick<UserIdentityEntity, 'accountId' | 'userId' | 'provider' | 'subject' | 'email'>,
    now: Date,
  ): Promise<{ identity: UserIdentityEntity; created: boolean }> {
    const inserted: { id: string }[] = await this.txHost.tx.query(
      `INSERT INTO user_identities (account_id, user_id, provider, subject, email, linked_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (provider, subject) DO NOTHING RETURNING id`,
      [row.accountId, row.userId, row.provider, row.subject, row.email, now],
    );
    const identity = await this.txHost.tx
      .getRepository(UserIdentityEntity)
      .findOneByOrFail({ provider: row.provider, subject: row.subject });
    return { identity, created: inserted.length === 1 };
  }

  async touch(identityId: string, email: string, now: Date): Promise<void> {
    await this.txHost.tx.update(UserIdentityEntity, { id: identityId }, { lastUsedAt: now, email });
  }

  /** Deletes the caller's link and returns it; null when it is not theirs (or already gone). */
  async unlink(accountId: string, userId: string, identityId: string): Promise<UserIdentityEntity | null> {
    const identity = await this.txHost.tx
      .getRepository(UserIdentityEntity)
      .findOne({ where: { id: identityId, accountId, userId }, lock: { mode: 'pessimistic_write' } });
    if (!identity) return null;
    await this.txHost.tx.delete(UserIdentityEntity, { id: identityId, accountId, userId });
    return identity;
  }
}
