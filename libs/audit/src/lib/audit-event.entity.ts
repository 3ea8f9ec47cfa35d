import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction, AuditResourceType } from './audit-actions';

/**
 * Append-only: a trigger in the migration makes PostgreSQL refuse UPDATE,
 * DELETE and TRUNCATE on this table. No foreign keys, so deleting a user or an
 * account never has to rewrite history.
 */
@Entity('audit_events')
@Index('ix_audit_events_account_time', ['accountId', 'occurredAt', 'id'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ name: 'resource_type', type: 'varchar', length: 32 })
  resourceType!: AuditResourceType;

  @Column({ name: 'resource_id', type: 'varchar', length: 64, nullable: true })
  resourceId!: string | null;

  @Column({ type: 'jsonb' })
  /** The action's details, shaped by `AuditDetailsByAction`. */
  details!: object;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 500, nullable: true })
  userAgent!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
