import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SessionEntity } from './session.entity';

/**
 * One issued refresh token. Only the SHA-256 of its `jti` is stored, so a
 * database leak yields no usable token. Rotation sets `used_at` on the
 * presented row and inserts its successor in the same session.
 *
 * Keyed by `jti_hash` (every lookup is by it) with no foreign key to `accounts`: the
 * session's own key reaches the account, and each refresh then writes one index entry
 * and takes no lock on the account row fewer (ADR 0027).
 */
@Entity('refresh_tokens')
@Index('ix_refresh_tokens_session', ['sessionId'])
export class RefreshTokenEntity {
  @PrimaryColumn({ name: 'jti_hash', type: 'bytea', primaryKeyConstraintName: 'pk_refresh_tokens' })
  jtiHash!: Buffer;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => SessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_refresh_tokens_session' })
  session?: SessionEntity;

  /** The session's account (denormalised for tenant-scoped reads; no foreign key of its own). */
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
