import { HttpStatus } from '@nestjs/common';
import { refusalForEndReason, type RefreshRefusal, type SessionEndReason } from '@sessions/session-policy';
import { ProblemException } from '../common/problem';

/**
 * The one home of what a refused `POST /api/auth/refresh` says. The codes are the library's
 * (`REFRESH_REFUSALS`, `SESSION_END_REASONS`, `refusalForEndReason`); the sentences are the
 * API's `detail`, exhaustive by type so a new code or end reason cannot ship without one.
 * (The console words its own notices for people signed out, keyed by the same codes.)
 */
export const REFUSAL_DETAILS: Record<RefreshRefusal, string> = {
  invalid_refresh_token: 'The refresh token is not valid; sign in again.',
  session_expired_idle: 'The session ended after a period of inactivity; sign in again.',
  session_expired_absolute: 'The session reached its maximum length; sign in again.',
};

/** Why the session ended, in a sentence for people; clients switch on `code` and `reason`, never on this. */
export const ENDED_DETAILS: Record<SessionEndReason, string> = {
  expired_idle: REFUSAL_DETAILS.session_expired_idle,
  expired_absolute: REFUSAL_DETAILS.session_expired_absolute,
  signed_out: 'This session was signed out; sign in again.',
  signed_out_elsewhere: 'This session was signed out from another device; sign in again.',
  revoked_by_owner: "The account's owner signed everyone out; sign in again.",
  refresh_reuse: 'This refresh token had already been used, so the session was ended to protect the account; sign in again.',
  password_changed: 'The password was changed, which signed this session out; sign in again with the new password.',
  user_deactivated: "This user was deactivated; ask the account's owner for access.",
  role_changed: "This user's role changed, which signed this session out; sign in again.",
  session_limit:
    'This device was signed out because the user signed in on more devices than allowed, and it was the least recently used; sign in again.',
};

/** A refusal that says nothing about any session: the token is unknown, forged, malformed or merely already used. */
export const refusal = (code: RefreshRefusal) => new ProblemException(HttpStatus.UNAUTHORIZED, code, REFUSAL_DETAILS[code]);

/** The refusal for a token whose session ended: the contract code for that ending, plus why (`reason`). */
export const endedRefusal = (reason: SessionEndReason) =>
  new ProblemException(HttpStatus.UNAUTHORIZED, refusalForEndReason(reason), ENDED_DETAILS[reason], undefined, undefined, reason);
