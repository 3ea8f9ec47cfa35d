import { classifyExpiry, type ExpiryRefusal, type PolicySnapshot, type SessionEndReason } from '@sessions/session-policy';
import type { RevokeReason } from './session.entity';

/**
 * The stored `revoke_reason` names are the API's own (they say which endpoint ended
 * the session); users are told the coarser {@link SessionEndReason}. Exhaustive by
 * type, so a new stored reason cannot ship without an answer.
 */
const END_REASON_BY_REVOKE_REASON: Readonly<Record<RevokeReason, SessionEndReason>> = {
  logout: 'signed_out',
  device_revoked: 'signed_out_elsewhere',
  others_revoked: 'signed_out_elsewhere',
  bulk_revoked: 'revoked_by_owner',
  owner_revoked: 'revoked_by_owner',
  refresh_reuse: 'refresh_reuse',
  password_changed: 'password_changed',
  user_deactivated: 'user_deactivated',
  role_changed: 'role_changed',
  expired_idle: 'expired_idle',
  expired_absolute: 'expired_absolute',
  session_limit: 'session_limit',
};

/** What the user is told for a session ended with the stored `reason`. */
export function endReasonOf(reason: RevokeReason): SessionEndReason {
  return END_REASON_BY_REVOKE_REASON[reason];
}

/** The stored reason of a session ended by a deadline (what the sweeper writes). */
export function revokeReasonForExpiry(expiry: ExpiryRefusal): RevokeReason {
  return expiry === 'session_expired_absolute' ? 'expired_absolute' : 'expired_idle';
}

/** An ended session as the refusal path reads it (times in unix seconds). */
export interface EndedSession {
  revokeReason: RevokeReason;
  revokedAt: number;
  authTime: number;
  lastUsedAt: number;
  idleMaxSeconds: number;
  absMaxSeconds: number;
}

/**
 * Why an ended session ended. A deadline that had already passed when something
 * else ended the session wins: the session ended by that deadline, and the contract
 * promises its `session_expired_*` code "whenever its session ended by that deadline",
 * whether the sweeper got there first or, say, a logout of the dead session did.
 * Deadlines are the session row's (the sweeper's view), boundaries expired.
 */
export function sessionEndReason(session: EndedSession): SessionEndReason {
  const stored = endReasonOf(session.revokeReason);
  if (stored === 'expired_idle' || stored === 'expired_absolute') return stored;
  const snapshot: PolicySnapshot = {
    authTime: session.authTime,
    idleMaxSeconds: session.idleMaxSeconds,
    absMaxSeconds: session.absMaxSeconds,
  };
  const expiry = classifyExpiry(snapshot, session.lastUsedAt, session.revokedAt);
  return expiry ? endReasonOf(revokeReasonForExpiry(expiry)) : stored;
}
