import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../accounts/user.entity';

/**
 * A user's identity at an OpenID Connect provider. Sign-in finds the user by
 * (provider, subject) — the provider's stable id, not the email, so an email change
 * at the provider keeps working; the email is only how the first sign-in links.
 */
@Entity('user_identities')
@Index('ux_user_identities_provider_subject', ['provider', 'subject'], { unique: true })
@Index('ix_user_identities_user', ['userId'])
export class UserIdentityEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_identities' })
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_user_identities_account' })
  account?: AccountEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_identities_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  /** The `sub` claim: unique and never reassigned within its issuer (OIDC Core §2). */
  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** The email the provider last asserted, shown to the user; never used to match after linking. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;
}
