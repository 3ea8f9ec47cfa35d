import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JWTs with nothing but `node:crypto`, for the reference server: the least work a
 * signed bearer token can cost. Only our own header is accepted (no `alg` negotiation).
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function hs256Key(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export function sign(key: KeyObject, claims: object): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** The claims when the signature is ours, else null. */
export function verify(key: KeyObject, token: string): Record<string, unknown> | null {
  if (token.length > 4096) return null;
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first <= 0 || last === first || token.slice(0, first) !== HEADER) return null;
  const expected = createHmac('sha256', key).update(token.slice(0, last)).digest();
  const given = Buffer.from(token.slice(last + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.slice(first + 1, last), 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
