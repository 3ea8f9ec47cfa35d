/**
 * The keyset position of an audit page: the `(occurred_at, id)` of its last item.
 * Opaque to clients (base64url JSON) so the ordering can change without breaking them.
 * `occurred_at` keeps PostgreSQL's microseconds, so no row at a page edge is skipped.
 */
export interface AuditCursor {
  occurredAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** UTC, up to microseconds, as `encodeAuditCursor` writes it. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const MAX_CURSOR_LENGTH = 200;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify({ occurred_at: cursor.occurredAt, id: cursor.id }), 'utf8').toString('base64url');
}

/** The cursor, or null when it is not one this API issued (malformed, tampered, truncated). */
export function decodeAuditCursor(value: string): AuditCursor | null {
  if (value.length === 0 || value.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { occurred_at: occurredAt, id } = parsed as Record<string, unknown>;
  if (typeof occurredAt !== 'string' || !TIMESTAMP.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) return null;
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  return { occurredAt, id: id.toLowerCase() };
}
