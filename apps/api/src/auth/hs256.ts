import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JWTs on `node:crypto` directly (issue 11): the same bytes jsonwebtoken produces
 * (header `{"alg":"HS256","typ":"JWT"}`), without its per-call option handling. Verification
 * is deliberately narrow: three base64url parts, a JSON header whose `alg` is exactly HS256
 * (the allow-list: `none`, HS512, RS256… are refused before any key is used) and whose `typ`,
 * if present, is JWT; a constant-time signature check; a JSON object payload. `nbf` in the
 * future is refused; expiry is the caller's rule.
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function signHs256(payload: object, key: KeyObject): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

function parseObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The payload of a token signed with `key`, or null for anything else. */
export function verifyHs256(token: string, key: KeyObject, nowSeconds: number): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return null;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseObject(headerPart);
  if (!header || header['alg'] !== 'HS256' || (header['typ'] !== undefined && header['typ'] !== 'JWT')) return null;
  const expected = createHmac('sha256', key).update(`${headerPart}.${payloadPart}`).digest();
  const presented = Buffer.from(signaturePart, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
  const payload = parseObject(payloadPart);
  if (!payload) return null;
  if (payload['nbf'] !== undefined && (typeof payload['nbf'] !== 'number' || payload['nbf'] > nowSeconds)) return null;
  return payload;
}
