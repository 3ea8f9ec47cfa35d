import { isRefreshRefusal, type RefreshRefusal } from '@sessions/session-policy';

/** Why the console went back to the sign-in page; shown there as a sentence. */
export type SignOutReason = RefreshRefusal | 'signed_out' | 'signed_out_everywhere';

const MESSAGES: Record<SignOutReason, string> = {
  session_expired_idle: 'You were signed out because your session was inactive for too long. Sign in again to continue.',
  session_expired_absolute: 'Your session reached its maximum length. Sign in again to continue.',
  invalid_refresh_token:
    'Your session is no longer valid: it was ended from another device or by your account owner. Sign in again to continue.',
  signed_out: 'You signed out.',
  signed_out_everywhere: 'You signed out everyone in your account, including this browser.',
};

export function signOutMessage(reason: SignOutReason): string {
  return MESSAGES[reason];
}

/** Narrows an untrusted value (a query parameter, a broadcast) to a reason. */
export function parseSignOutReason(value: unknown): SignOutReason | null {
  if (isRefreshRefusal(value)) {
    return value;
  }
  return value === 'signed_out' || value === 'signed_out_everywhere' ? value : null;
}
