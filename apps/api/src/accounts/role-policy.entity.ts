import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import type { Role } from '../common/auth/roles';

/**
 * A role's override of its account's session policy (issue 15). It only tightens:
 * sessions of users with this role get the smaller of each limit. A null field keeps
 * the account's value; a row with neither does not exist (DELETE removes it).
 */
@Entity('role_policies')
@Check('ck_role_policies_role', "role IN ('owner', 'admin', 'engineer')")
@Check('ck_role_policies_some_limit', 'idle_minutes IS NOT NULL OR absolute_minutes IS NOT NULL')
@Check('ck_role_policies_idle_minutes_range', 'idle_minutes IS NULL OR idle_minutes BETWEEN 1 AND 525600')
@Check('ck_role_policies_absolute_minutes_range', 'absolute_minutes IS NULL OR absolute_minutes BETWEEN 1 AND 525600')
@Check('ck_role_policies_idle_le_absolute', 'idle_minutes IS NULL OR absolute_minutes IS NULL OR idle_minutes <= absolute_minutes')
export class RolePolicyEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'pk_role_policies' })
  accountId!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_role_policies_account' })
  account?: AccountEntity;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_role_policies' })
  role!: Role;

  @Column({ name: 'idle_minutes', type: 'integer', nullable: true })
  idleMinutes!: number | null;

  @Column({ name: 'absolute_minutes', type: 'integer', nullable: true })
  absoluteMinutes!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
