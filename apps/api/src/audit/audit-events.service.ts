import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { validationFailed } from '../common/problem';
import { AuditCursor, decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import { AuditEventRow, AuditEventsRepository } from './audit-events.repository';
import { AUDIT_PAGE_DEFAULT, type ListAuditEventsQueryDto } from './dto/audit-event.dto';

export interface AuditEventPage {
  items: AuditEventRow[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** The caller's account's audit log; no other account's event is ever visible. */
@Injectable()
export class AuditEventsService {
  constructor(private readonly repository: AuditEventsRepository) {}

  async list(caller: AuthUser, query: ListAuditEventsQueryDto): Promise<AuditEventPage> {
    const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
    let after: AuditCursor | undefined;
    if (query.cursor !== undefined) {
      // The DTO already checked it; decoding again keeps the service safe on its own.
      after = decodeAuditCursor(query.cursor) ?? undefined;
      if (!after) throw validationFailed([{ field: 'cursor', message: 'cursor must be a next_cursor returned by this endpoint' }]);
    }
    // One row more than asked says whether another page exists, without a COUNT.
    const rows = await this.repository.list(caller.accountId, {
      action: query.action,
      since: query.since === undefined ? undefined : new Date(query.since),
      until: query.until === undefined ? undefined : new Date(query.until),
      after,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeAuditCursor({ occurredAt: last.occurredAtExact, id: last.id }) : null;
    return { items, nextCursor };
  }
}
