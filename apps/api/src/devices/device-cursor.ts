import type { DeviceCursor } from '../sessions/sessions.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** UTC with microseconds, as the repository writes it. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
const MAX_CURSOR_LENGTH = 200;

/**
 * The keyset position of a device-list page: the `(last_used_at, created_at, id)` of its
 * last item. Opaque to clients (base64url JSON) so the ordering can change without
 * breaking them.
 */
export function encodeDeviceCursor(cursor: DeviceCursor): string {
  return Buffer.from(JSON.stringify({ u: cursor.lastUsedAt, c: cursor.createdAt, id: cursor.id }), 'utf8').toString('base64url');
}

/** The cursor, or null when it is not one this API issued (malformed, tampered, truncated). */
export function decodeDeviceCursor(value: string): DeviceCursor | null {
  if (value.length === 0 || value.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { u, c, id } = parsed as Record<string, unknown>;
  if (!isTimestamp(u) || !isTimestamp(c)) return null;
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  return { lastUsedAt: u, createdAt: c, id: id.toLowerCase() };
}
