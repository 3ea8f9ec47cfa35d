import { isRefreshRefusal, isSessionEndReason, type RefreshRefusal, type SessionEndReason } from '@sessions/session-policy';

/**
 * Why the console went back to the sign-in page; the `reason` query parameter
 * there, shown as a sentence.
 *
 * - the refresh refusal codes, and `session_expired` when only "it ended" is known;
 * - the API's session end reasons (the `reason` member of a refused refresh),
 *   except the two deadlines, which keep their refusal codes;
 * - what the user did here: `signed_out` (also an end reason), `signed_out_everywhere`
 *   (the owner's "sign out everyone, including me") and `sign_in_again` (the
 *   "Sign in now" of the absolute-deadline notice).
 */
export type SignOutReason =
  | 'session_expired'
  | RefreshRefusal
  | Exclude<SessionEndReason, 'expired_idle' | 'expired_absolute'>
  | 'signed_out_everywhere'
  | 'sign_in_again';

interface Notice {
  text: string;
  /** The session ended without the user asking: shown as a warning. */
  expired: boolean;
}

const NOTICES: Record<SignOutReason, Notice> = {
  session_expired: { text: 'Your session has ended. Sign in again to continue.', expired: true },
  session_expired_idle: {
    text: 'You were signed out because your session was inactive for too long. Sign in again to continue.',
    expired: true,
  },
  session_expired_absolute: { text: 'Your session reached its maximum length. Sign in again to continue.', expired: true },
  invalid_refresh_token: { text: 'Your session is no longer valid. Sign in again to continue.', expired: true },
  signed_out_elsewhere: { text: 'You were signed out from another device. Sign in again to continue.', expired: true },
  revoked_by_owner: { text: "You were signed out by your account's owner. Sign in again to continue.", expired: true },
  role_changed: {
    text: "You were signed out because your account's owner changed your role. Sign in again to continue.",
    expired: true,
  },
  user_deactivated: {
    text: "You were signed out because your account's owner deactivated your access. Ask them if you need it back.",
    expired: true,
  },
  password_changed: { text: 'You were signed out because your password was changed. Sign in with the new password.', expired: true },
  refresh_reuse: {
    text: 'You were signed out for your security: this session was used from somewhere unexpected. Sign in again to continue.',
    expired: true,
  },
  session_limit: {
    text: 'You were signed out on this device because you signed in on too many devices, and this one was used least recently. Sign in again to continue.',
    expired: true,
  },
  signed_out: { text: 'You signed out.', expired: false },
  signed_out_everywhere: { text: 'You signed out everyone in your account, including this browser.', expired: false },
  sign_in_again: { text: 'Sign in again to start a new session.', expired: false },
};

export function signOutNotice(reason: SignOutReason): Notice {
  return NOTICES[reason];
}

/** Narrows an untrusted value (a query parameter, a broadcast) to a reason. */
export function parseSignOutReason(value: unknown): SignOutReason | null {
  if (isSessionEndReason(value)) {
    return fromEndReason(value);
  }
  return typeof value === 'string' && Object.hasOwn(NOTICES, value) ? (value as SignOutReason) : null;
}

/**
 * What to tell the user about a refused refresh: its `code` and, for sessions
 * that ended, the API's `reason` member.
 *
 * A bare `invalid_refresh_token` (no reason) is also what a browser without
 * any refresh cookie gets, so it only means "ended" when `bare` says so: true
 * when this tab was signed in a moment ago, false on a reload.
 */
export function refusalSignOutReason(code: unknown, reason: unknown, bare: 'explain' | 'ignore'): SignOutReason | null {
  if (code === 'session_expired_idle' || code === 'session_expired_absolute') {
    return code;
  }
  if (!isRefreshRefusal(code)) {
    return null;
  }
  if (isSessionEndReason(reason)) {
    return fromEndReason(reason);
  }
  if (typeof reason === 'string' && reason !== '') {
    // A reason this console does not know yet (a newer API): it ended, that much is sure.
    return 'session_expired';
  }
  return bare === 'explain' ? 'invalid_refresh_token' : null;
}

function fromEndReason(reason: SessionEndReason): SignOutReason {
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
      return reason;
  }
}
