import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A tenant. The session policy overrides are nullable: null means "the system
 * default". The database keeps hard floors and the idle ≤ absolute invariant for
 * the both-set case; the configurable bounds are enforced by libs/session-policy.
 */
@Entity('accounts')
@Check('ck_accounts_idle_minutes_range', 'session_idle_minutes IS NULL OR session_idle_minutes BETWEEN 1 AND 525600')
@Check('ck_accounts_absolute_minutes_range', 'session_absolute_minutes IS NULL OR session_absolute_minutes BETWEEN 1 AND 525600')
@Check(
  'ck_accounts_idle_le_absolute',
  'session_idle_minutes IS NULL OR session_absolute_minutes IS NULL OR session_idle_minutes <= session_absolute_minutes',
)
@Check('ck_accounts_max_sessions_per_user', 'max_sessions_per_user IS NULL OR max_sessions_per_user >= 1')
@Check('ck_accounts_name_not_blank', 'length(btrim(name)) > 0')
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_accounts' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'session_idle_minutes', type: 'integer', nullable: true })
  sessionIdleMinutes!: number | null;

  @Column({ name: 'session_absolute_minutes', type: 'integer', nullable: true })
  sessionAbsoluteMinutes!: number | null;

  /** Members must sign in with a provider; owners keep their password so they cannot lock themselves out. */
  @Column({ name: 'require_external_sign_in', type: 'boolean', default: false })
  requireExternalSignIn!: boolean;

  /** Provider ids accepted for sign-in; null: every configured provider. */
  @Column({ name: 'allowed_sign_in_providers', type: 'text', array: true, nullable: true })
  allowedSignInProviders!: string[] | null;

  /** Email domains (lower-case) accepted from providers; null: any. */
  @Column({ name: 'allowed_email_domains', type: 'text', array: true, nullable: true })
  allowedEmailDomains!: string[] | null;

  /** Live sessions per user; null: the system cap (SESSION_MAX_PER_USER), which also bounds this one. */
  @Column({ name: 'max_sessions_per_user', type: 'integer', nullable: true })
  maxSessionsPerUser!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
