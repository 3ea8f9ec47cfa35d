import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../accounts/user.entity';

/** Why a session ended; stored in `revoke_reason` and reported in audit details. */
export const REVOKE_REASONS = [
  'logout',
  'device_revoked',
  'others_revoked',
  'bulk_revoked',
  'owner_revoked',
  'refresh_reuse',
  'password_changed',
  'user_deactivated',
  'role_changed',
  'expired_idle',
  'expired_absolute',
  'session_limit',
] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

/**
 * One signed-in device. Its id is the `sid` claim and the device id of the API,
 * stable across refresh-token rotation. `auth_time` never changes; a step-up
 * (POST /auth/reauthenticate) stamps `reauthenticated_at` instead.
 */
@Entity('sessions')
@Check('ck_sessions_idle_max_positive', 'idle_max_seconds > 0')
@Check('ck_sessions_abs_max_positive', 'abs_max_seconds > 0')
@Check('ck_sessions_revoke_reason', `revoke_reason IS NULL OR revoke_reason IN (${REVOKE_REASONS.map((r) => `'${r}'`).join(', ')})`)
@Check('ck_sessions_revoked_has_reason', '(revoked_at IS NULL) = (revoke_reason IS NULL)')
// The device list: a user's live sessions (sorted in memory: at most the cap). Not keyed on
// `last_used_at`, which every refresh changes: the rotation's update stays HOT (ADR 0027).
@Index('ix_sessions_user_live', ['userId'], { where: 'revoked_at IS NULL' })
// Bulk revoke and active users: an account's live sessions.
@Index('ix_sessions_account_live', ['accountId'], { where: 'revoked_at IS NULL' })
// Start-up load of recently ended sessions into the revocation cache.
@Index('ix_sessions_revoked_at', ['revokedAt'], { where: 'revoked_at IS NOT NULL' })
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sessions' })
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_sessions_account' })
  account?: AccountEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sessions_user' })
  user?: UserEntity;

  @Column({ name: 'auth_time', type: 'timestamptz' })
  authTime!: Date;

  /** The last step-up on this session; freshness is the later of this and `authTime`. */
  @Column({ name: 'reauthenticated_at', type: 'timestamptz', nullable: true })
  reauthenticatedAt!: Date | null;

  @Column({ name: 'idle_max_seconds', type: 'integer' })
  idleMaxSeconds!: number;

  @Column({ name: 'abs_max_seconds', type: 'integer' })
  absMaxSeconds!: number;

  @Column({ name: 'user_agent', type: 'varchar', length: 500, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoke_reason', type: 'varchar', length: 32, nullable: true })
  revokeReason!: RevokeReason | null;
}
