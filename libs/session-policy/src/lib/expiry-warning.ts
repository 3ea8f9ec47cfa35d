import type { SessionDeadlines } from './deadlines';

/**
 * States of the console's "your session is about to end" toast: nothing to
 * say, a countdown, or "sign in again".
 */
export const EXPIRY_WARNING_STATES = ['none', 'soon', 'now'] as const;
export type ExpiryWarning = (typeof EXPIRY_WARNING_STATES)[number];

/** Which deadline a warning is about, so the toast can say why. */
export type ExpiryReason = 'idle' | 'absolute';

export interface ExpiryWarningResult {
  state: ExpiryWarning;
  /** The earliest deadline; `null` exactly when `state` is `'none'`. */
  reason: ExpiryReason | null;
}

/** Five minutes: long enough to save work, short enough not to nag. */
export const DEFAULT_SOON_WINDOW_SECONDS = 300;

/**
 * Classifies the time left before the earliest deadline for the console.
 *
 * - `'now'` once the earliest deadline has passed (inclusive, like
 *   `classifyExpiry`);
 * - `'soon'` when it is at most `soonWindowSeconds` away;
 * - `'none'` otherwise, with `reason: null` since there is nothing to explain.
 *
 * When both deadlines coincide (`computeDeadlines` caps idle at absolute) the
 * reason is `'absolute'`: activity cannot postpone it, so the toast must not
 * suggest that it can.
 *
 * @throws RangeError when `soonWindowSeconds` is negative or not a number.
 */
export function expiryWarning(d: SessionDeadlines, now: number, soonWindowSeconds = DEFAULT_SOON_WINDOW_SECONDS): ExpiryWarningResult {
  if (!(soonWindowSeconds >= 0)) {
    throw new RangeError(`soonWindowSeconds must be a non-negative number (got ${soonWindowSeconds})`);
  }
  const reason: ExpiryReason = d.absoluteExpiresAt <= d.idleExpiresAt ? 'absolute' : 'idle';
  const earliest = Math.min(d.absoluteExpiresAt, d.idleExpiresAt);
  if (now >= earliest) {
    return { state: 'now', reason };
  }
  if (earliest - now <= soonWindowSeconds) {
    return { state: 'soon', reason };
  }
  return { state: 'none', reason: null };
}
