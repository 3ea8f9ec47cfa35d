import { Injectable } from '@nestjs/common';
import type { RoleOverride } from '@sessions/session-policy';
import { DataSource } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { RolePolicyEntity } from '../accounts/role-policy.entity';
import type { Role } from '../common/auth/roles';

/** The SQL of role overrides; every statement is scoped by the caller's account. */
@Injectable()
export class RolePoliciesRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly dataSource: DataSource,
  ) {}

  async findAll(accountId: string): Promise<Map<Role, RoleOverride>> {
    const rows = await this.txHost.tx.getRepository(RolePolicyEntity).findBy({ accountId });
    return new Map(rows.map((row) => [row.role, { idleMinutes: row.idleMinutes, absoluteMinutes: row.absoluteMinutes }]));
  }

  async upsert(accountId: string, role: Role, override: RoleOverride, now: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO role_policies (account_id, role, idle_minutes, absolute_minutes, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id, role) DO UPDATE
         SET idle_minutes = EXCLUDED.idle_minutes, absolute_minutes = EXCLUDED.absolute_minutes, updated_at = EXCLUDED.updated_at`,
      [accountId, role, override.idleMinutes, override.absoluteMinutes, now],
    );
  }

  async remove(accountId: string, role: Role): Promise<void> {
    await this.txHost.tx.getRepository(RolePolicyEntity).delete({ accountId, role });
  }
}
