import type { AuditEventRow } from './audit-events.repository';

/** One page of the audit log. Its own file so the DTO does not import the service (which imports the DTO). */
export interface AuditEventPage {
  items: AuditEventRow[];
  /** Null on the last page. */
  nextCursor: string | null;
}
