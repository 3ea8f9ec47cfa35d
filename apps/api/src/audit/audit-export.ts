import type { AuditEventDto } from './dto/audit-event.dto';

/** The CSV columns, in order; `details` is the event's details as JSON. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'action',
  'actor_user_id',
  'actor_email',
  'resource_type',
  'resource_id',
  'ip',
  'user_agent',
  'details',
] as const;

/**
 * One CSV cell, quoted (RFC 4180). A spreadsheet runs a cell that starts with `=`, `+`,
 * `-` or `@` (or a tab or carriage return, which some of them strip first) as a formula,
 * and user agents and emails are the caller's input: such cells get a leading `'`
 * (OWASP's "CSV injection" advice) so they open as text.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(event: AuditEventDto): string {
  const cells: (string | null)[] = [
    event.id,
    event.occurred_at,
    event.action,
    event.actor?.user_id ?? null,
    event.actor?.email ?? null,
    event.resource_type,
    event.resource_id,
    event.ip,
    event.user_agent,
    JSON.stringify(event.details),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function ndjsonRow(event: AuditEventDto): string {
  return `${JSON.stringify(event)}\n`;
}
