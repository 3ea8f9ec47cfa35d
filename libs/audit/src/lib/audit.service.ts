import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { AuditAction, AuditDetailsByAction, AuditResourceType } from './audit-actions';
import { AuditEventEntity } from './audit-event.entity';

/** Who did it and from where; `actorUserId` is null for anonymous events (failed sign-in). */
export interface AuditContext {
  accountId: string;
  actorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  occurredAt: Date;
}

export interface AuditRecord<A extends AuditAction> {
  action: A;
  resourceType: AuditResourceType;
  resourceId: string | null;
  details: AuditDetailsByAction[A];
}

/**
 * Writes audit events. Every write joins the caller's running transaction (held in the
 * async context by `@nestjs-cls/transactional`), so the event commits or rolls back
 * together with the change it records; a failed write fails (and rolls back) the change.
 */
@Injectable()
export class AuditService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async record<A extends AuditAction>(context: AuditContext, record: AuditRecord<A>): Promise<void> {
    await this.txHost.tx.insert(AuditEventEntity, {
      accountId: context.accountId,
      actorUserId: context.actorUserId,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 500) ?? null,
      occurredAt: context.occurredAt,
      action: record.action,
      resourceType: record.resourceType,
      resourceId: record.resourceId,
      details: record.details,
    });
  }

  /**
   * Many events of one context in ONE statement (`INSERT … SELECT FROM unnest`), however
   * many there are: a bulk sign-out of thousands of sessions costs one round trip, not one
   * per event. Same guarantees as {@link record}: the caller's transaction and a plain INSERT (the append-only trigger still refuses anything else).
   */
  async recordMany<A extends AuditAction>(context: AuditContext, records: readonly AuditRecord<A>[]): Promise<void> {
    if (records.length === 0) return;
    await this.txHost.tx.query(
      `INSERT INTO audit_events (account_id, actor_user_id, ip, user_agent, occurred_at, action, resource_type, resource_id, details)
       SELECT $1, $2, $3, $4, $5, r.action, r.resource_type, r.resource_id, r.details
         FROM unnest($6::varchar[], $7::varchar[], $8::varchar[], $9::jsonb[]) AS r(action, resource_type, resource_id, details)`,
      [
        context.accountId,
        context.actorUserId,
        context.ip,
        context.userAgent?.slice(0, 500) ?? null,
        context.occurredAt,
        records.map((r) => r.action),
        records.map((r) => r.resourceType),
        records.map((r) => r.resourceId),
        records.map((r) => JSON.stringify(r.details)),
      ],
    );
  }
}
