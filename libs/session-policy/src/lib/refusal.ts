import type { PolicySnapshot } from './deadlines';

/**
 * The `code` values a refused `POST /auth/refresh` may carry (all 401).
 * Distinct codes let the console tell "sign in again, you were idle" from
 * "your session reached its maximum age" from "this token is not valid".
 */
export const REFRESH_REFUSALS = ['invalid_refresh_token', 'session_expired_idle', 'session_expired_absolute'] as const;
export type RefreshRefusal = (typeof REFRESH_REFUSALS)[number];

/** The refusals that {@link classifyExpiry} can produce. */
export type ExpiryRefusal = Exclude<RefreshRefusal, 'invalid_refresh_token'>;

/** Narrows an arbitrary `code` (e.g. from a problem+json body) to a refusal. */
export function isRefreshRefusal(code: unknown): code is RefreshRefusal {
  return (REFRESH_REFUSALS as readonly unknown[]).includes(code);
}

/**
 * Decides whether an otherwise valid refresh token is refused for expiry.
 *
 * Both boundaries are inclusive (expired at exactly the deadline), matching
 * how JWT libraries treat `exp`. Absolute wins when both have passed because
 * it is the more useful answer: refreshing earlier would not have helped.
 *
 * Pass the snapshot after {@link tightenSnapshot} so a tightened account
 * policy is honoured.
 *
 * @param tokenIssuedAt the refresh token's `iat` (its last activity).
 * @param now unix seconds, injected so tests move a clock instead of sleeping.
 */
export function classifyExpiry(s: PolicySnapshot, tokenIssuedAt: number, now: number): ExpiryRefusal | null {
  if (now >= s.authTime + s.absMaxSeconds) {
    return 'session_expired_absolute';
  }
  if (now >= tokenIssuedAt + s.idleMaxSeconds) {
    return 'session_expired_idle';
  }
  return null;
}
