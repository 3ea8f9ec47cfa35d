import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
 * Writes audit events. Every write takes the caller's `EntityManager`, so the
 * event commits or rolls back together with the change it records.
 */
@Injectable()
export class AuditService {
  async record<A extends AuditAction>(manager: EntityManager, context: AuditContext, record: AuditRecord<A>): Promise<void> {
    await manager.insert(AuditEventEntity, {
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
}
