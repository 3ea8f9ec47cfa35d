import type { RefreshRefusal } from './refusal';

/**
 * Why a session ended, as told to the person whose session it was.
 *
 * The whole point of the product is that someone who is signed out learns
 * *why*: a refused refresh carries one of these in the problem body's `reason`
 * member, so the console can say "you were idle", "you signed out", "you were
 * signed out from another device", "your account's owner signed everyone out"…
 * They are the user's view, coarser than the API's stored revoke reasons (a
 * device revoked one by one and "sign out my other devices" are both
 * `signed_out_elsewhere`).
 *
 * - `expired_idle` / `expired_absolute`: a deadline of the session policy passed;
 * - `signed_out`: the user signed out of this session;
 * - `signed_out_elsewhere`: the user ended this session from another of their devices;
 * - `revoked_by_owner`: the account's owner signed everyone out;
 * - `refresh_reuse`: an already-used refresh token came back (it may have leaked);
 * - `password_changed`: the user's password changed;
 * - `user_deactivated`: the account's owner deactivated the user;
 * - `role_changed`: the user's role changed, so no token keeps the old one;
 * - `session_limit`: the user signed in on more devices than the live-session cap
 *   allows, and this was the least recently used one.
 */
export const SESSION_END_REASONS = [
  'expired_idle',
  'expired_absolute',
  'signed_out',
  'signed_out_elsewhere',
  'revoked_by_owner',
  'refresh_reuse',
  'password_changed',
  'user_deactivated',
  'role_changed',
  'session_limit',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** Narrows an arbitrary value (e.g. a problem body's `reason`) to a known end reason. */
export function isSessionEndReason(x: unknown): x is SessionEndReason {
  return (SESSION_END_REASONS as readonly unknown[]).includes(x);
}

/**
 * The `code` a refused refresh answers for a session that ended with `reason`.
 *
 * The two deadlines keep their own contract codes (clients written before
 * `reason` existed switch on them); every other ending is
 * `invalid_refresh_token`, with the reason as extra detail, so the set of
 * codes stays what the contract promises.
 */
export function refusalForEndReason(reason: SessionEndReason): RefreshRefusal {
  switch (reason) {
    case 'expired_idle':
      return 'session_expired_idle';
    case 'expired_absolute':
      return 'session_expired_absolute';
    case 'signed_out':
    case 'signed_out_elsewhere':
    case 'revoked_by_owner':
    case 'refresh_reuse':
    case 'password_changed':
    case 'user_deactivated':
    case 'role_changed':
    case 'session_limit':
      return 'invalid_refresh_token';
  }
}
