/** Policy values as they appear in audit details. */
export interface AuditPolicyValues {
  idle_minutes: number | null;
  absolute_minutes: number | null;
}

/** How a user signed in: `oidc:<provider id>` for external sign-in. */
/**
 * Why a step-up was refused. Password: `wrong_password`. Provider (ADR 0020): the login was
 * not fresh (`auth_time_missing`, `auth_time_stale`), the identity is not this user's
 * (`identity_not_linked`, `identity_of_other_user`), the flow was used already (`replayed`) or
 * too old (`flow_expired`), the account no longer accepts the provider (`provider_not_allowed`),
 * or the session ended meanwhile (`session_ended`).
 */
export type ReauthenticationFailureReason =
  | 'wrong_password'
  | 'auth_time_missing'
  | 'auth_time_stale'
  | 'identity_not_linked'
  | 'identity_of_other_user'
  | 'replayed'
  | 'flow_expired'
  | 'provider_not_allowed'
  | 'session_ended';

export type SignInMethod = 'password' | 'signup' | `oidc:${string}`;

/** Why a sign-in with a known user was refused (unknown users are only logged: no account to audit in). */
export type LoginFailureReason = 'wrong_password' | 'inactive_user' | 'sso_required' | 'provider_not_allowed' | 'email_domain_not_allowed';

/** An account's sign-in policy as it appears in audit details. */
export interface AuditSignInPolicy {
  require_external_sign_in: boolean;
  allowed_providers: string[] | null;
  allowed_email_domains: string[] | null;
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
  /** `old`/`new` null: the role had / has no override (removal, first setting). Effective values are that role's. */
  'account.role_policy_update': {
    role: string;
    old: AuditPolicyValues | null;
    new: AuditPolicyValues | null;
    effective_old: AuditPolicyValues;
    effective_new: AuditPolicyValues;
  };
  /** The account's cap on live sessions per user; null: the system cap. `ended_sessions`: ended at once by a lower cap. */
  'account.session_cap_update': {
    old: number | null;
    new: number | null;
    effective_old: number;
    effective_new: number;
    ended_sessions: number;
  };
  'account.sessions_revoked_bulk': { scope: 'all' | 'others'; revoked_count: number };
  /** `user_id`: whose session, when an owner ended a member's session. */
  'session.revoked': { session_id: string; by: 'self' | 'owner'; reason: string; user_id?: string };
  'session.refresh_reuse_detected': { session_id: string };
  'account.sign_in_policy_update': { old: AuditSignInPolicy; new: AuditSignInPolicy };
  'auth.login_succeeded': { method: SignInMethod };
  'auth.login_failed': { method: SignInMethod; reason: LoginFailureReason };
  'auth.password_changed': { ended_sessions: number };
  /** A step-up on this session (resource: the session); see ADR 0018. */
  'auth.reauthenticated': { method: 'password' | `oidc:${string}` };
  /** ADR 0018 (password) and ADR 0020 (the provider: `provider` is in `method`). */
  'auth.reauthentication_failed': { method: 'password' | `oidc:${string}`; reason: ReauthenticationFailureReason };
  'member.added': { user_id: string; role: string; is_active: boolean };
  'member.updated': { user_id: string; role: string; is_active: boolean };
  'identity.linked': { user_id: string; provider: string; by: 'email_match' };
  'identity.unlinked': { user_id: string; provider: string };
}

export type AuditAction = keyof AuditDetailsByAction;

export const AUDIT_ACTIONS = [
  'account.session_policy_update',
  'account.role_policy_update',
  'account.session_cap_update',
  'account.sessions_revoked_bulk',
  'account.sign_in_policy_update',
  'session.revoked',
  'session.refresh_reuse_detected',
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.password_changed',
  'auth.reauthenticated',
  'auth.reauthentication_failed',
  'member.added',
  'member.updated',
  'identity.linked',
  'identity.unlinked',
] as const satisfies readonly AuditAction[];

// Compile-time proof that the list above names every action of the catalogue.
type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
const everyActionListed: Missing extends never ? true : never = true;
void everyActionListed;

export const AUDIT_RESOURCE_TYPES = ['account', 'session', 'user'] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];
