/** Policy values as they appear in audit details. */
export interface AuditPolicyValues {
  idle_minutes: number | null;
  absolute_minutes: number | null;
}

/**
 * The action catalogue of the HTTP contract, with the shape of each action's
 * `details`. Adding an action here is the only way to emit it, so the audit log
 * cannot drift from what the contract promises (and never carries secrets).
 */
export interface AuditDetailsByAction {
  'account.session_policy_update': {
    old: AuditPolicyValues;
    new: AuditPolicyValues;
    effective_old: AuditPolicyValues;
    effective_new: AuditPolicyValues;
  };
  'account.sessions_revoked_bulk': { scope: 'all' | 'others'; revoked_count: number };
  /** `user_id`: whose session, when an owner ended a member's session. */
  'session.revoked': { session_id: string; by: 'self' | 'owner'; reason: string; user_id?: string };
  'session.refresh_reuse_detected': { session_id: string };
  'auth.login_succeeded': { method: 'password' | 'oidc' | 'signup' };
  'auth.login_failed': { method: 'password' | 'oidc'; reason: 'unknown_email' | 'wrong_password' | 'inactive_user' };
  'auth.password_changed': { ended_sessions: number };
  'member.added': { user_id: string; role: string; is_active: boolean };
  'member.updated': { user_id: string; role: string; is_active: boolean };
}

export type AuditAction = keyof AuditDetailsByAction;

export const AUDIT_ACTIONS = [
  'account.session_policy_update',
  'account.sessions_revoked_bulk',
  'session.revoked',
  'session.refresh_reuse_detected',
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.password_changed',
  'member.added',
  'member.updated',
] as const satisfies readonly AuditAction[];

// Compile-time proof that the list above names every action of the catalogue.
type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
const everyActionListed: Missing extends never ? true : never = true;
void everyActionListed;

export const AUDIT_RESOURCE_TYPES = ['account', 'session', 'user'] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];
