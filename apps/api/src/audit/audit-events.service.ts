import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { validationFailed } from '../common/problem';
import { AuditCursor, decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import type { AuditEventPage } from './audit-event-page';
import { csvHeader, csvRow, ndjsonRow } from './audit-export';
import { AuditEventFilter, AuditEventRow, AuditEventsRepository } from './audit-events.repository';
import {
  AUDIT_PAGE_DEFAULT,
  mapAuditEvent,
  type AuditEventFilterQueryDto,
  type AuditExportFormat,
  type ListAuditEventsQueryDto,
} from './dto/audit-event.dto';

/** Rows per query of an export: big enough to be quick, small enough to stream. */
const EXPORT_BATCH = 500;

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
    const rows = await this.repository.list(caller.accountId, { ...filterOf(query), after, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeAuditCursor({ occurredAt: last.occurredAtExact, id: last.id }) : null;
    return { items, nextCursor };
  }

  /**
   * Every event matching the filters, newest first, as CSV or NDJSON text chunks. It walks
   * the log by the same keyset as the pages, one bounded query per batch, so a long log
   * streams in constant memory and no query holds a snapshot open for the whole download.
   * The walk goes backwards from the first batch, so events recorded while it runs
   * (newer than that batch) are not in it.
   */
  async export(caller: AuthUser, query: AuditEventFilterQueryDto, format: AuditExportFormat): Promise<AsyncIterable<string>> {
    const filter = filterOf(query);
    // The first batch is read before any byte is sent, so a database that is down or slow
    // answers a problem+json 503 instead of an empty "successful" download.
    const first = await this.repository.list(caller.accountId, { ...filter, limit: EXPORT_BATCH });
    return this.exportFrom(caller.accountId, filter, format, first);
  }

  private async *exportFrom(
    accountId: string,
    filter: Omit<AuditEventFilter, 'after' | 'limit'>,
    format: AuditExportFormat,
    first: AuditEventRow[],
  ): AsyncGenerator<string> {
    if (format === 'csv') yield csvHeader();
    const write = format === 'csv' ? csvRow : ndjsonRow;
    let rows = first;
    for (;;) {
      if (rows.length > 0) yield rows.map((row) => write(mapAuditEvent(row))).join('');
      const last = rows[rows.length - 1];
      if (rows.length < EXPORT_BATCH || !last) return;
      rows = await this.repository.list(accountId, {
        ...filter,
        after: { occurredAt: last.occurredAtExact, id: last.id },
        limit: EXPORT_BATCH,
      });
    }
  }
}

function filterOf(query: AuditEventFilterQueryDto): Omit<AuditEventFilter, 'after' | 'limit'> {
  return {
    action: query.action,
    actorUserId: query.actor,
    since: query.since === undefined ? undefined : new Date(query.since),
    until: query.until === undefined ? undefined : new Date(query.until),
  };
}
