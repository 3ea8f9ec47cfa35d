import type { EffectivePolicy } from './resolve';

/**
 * Policies are configured in minutes (what people type) while token claims and
 * deadlines use unix seconds (what JWT uses); this is the only conversion.
 */
export const SECONDS_PER_MINUTE = 60;

/**
 * The policy frozen into a session at sign-in, in the units of the refresh
 * token's claims (`auth_time`, `idle_max`, `abs_max`). Keeping a snapshot
 * means loosening the account policy never extends sessions that were
 * granted under the stricter one.
 */
export interface PolicySnapshot {
  /** Unix seconds of the original sign-in; never reset by token rotation. */
  authTime: number;
  idleMaxSeconds: number;
  absMaxSeconds: number;
}

/** When a session ends, in unix seconds. */
export interface SessionDeadlines {
  /** End of the session if it stays unused; never later than `absoluteExpiresAt`. */
  idleExpiresAt: number;
  /** End of the session no matter how active it is (`auth_time + abs_max`). */
  absoluteExpiresAt: number;
}

/** Takes the snapshot a new sign-in stores in its session and refresh token. */
export function snapshotPolicy(authTime: number, p: EffectivePolicy): PolicySnapshot {
  return {
    authTime,
    idleMaxSeconds: p.idleMinutes * SECONDS_PER_MINUTE,
    absMaxSeconds: p.absoluteMinutes * SECONDS_PER_MINUTE,
  };
}

/**
 * Applies the current account policy to a live session at refresh time.
 *
 * A tighter policy must reach sessions that already exist (an owner reacting
 * to an incident cannot wait two weeks), while a looser one only applies from
 * the next sign-in. So each max becomes the smaller of the two, and `authTime`
 * is kept: rotation must never restart the absolute lifetime.
 */
export function tightenSnapshot(s: PolicySnapshot, current: EffectivePolicy): PolicySnapshot {
  return {
    authTime: s.authTime,
    idleMaxSeconds: Math.min(s.idleMaxSeconds, current.idleMinutes * SECONDS_PER_MINUTE),
    absMaxSeconds: Math.min(s.absMaxSeconds, current.absoluteMinutes * SECONDS_PER_MINUTE),
  };
}

/**
 * The deadlines to report in a token response and the sessions list.
 *
 * The idle deadline is capped at the absolute one so clients never announce
 * "expires in 3 days" for a session that ends tonight.
 *
 * @param lastActivity unix seconds of the last refresh (the token's `iat`).
 */
export function computeDeadlines(s: PolicySnapshot, lastActivity: number): SessionDeadlines {
  const absoluteExpiresAt = s.authTime + s.absMaxSeconds;
  return {
    idleExpiresAt: Math.min(lastActivity + s.idleMaxSeconds, absoluteExpiresAt),
    absoluteExpiresAt,
  };
}
