export { POLICY_MINUTES_CEILING, SYSTEM_POLICY_BOUNDS, assertValidBounds, type PolicyBounds } from './lib/bounds';
export { applyPolicyPatch, resolvePolicy, type EffectivePolicy, type PolicyOverrides, type PolicyPatch } from './lib/resolve';
export { POLICY_PRESETS, STANDARD_PRESET, detectPreset, presetOverrides, type NamedPolicyPreset, type PolicyPreset } from './lib/presets';
export { POLICY_FIELDS, validatePolicy, type PolicyField, type PolicyViolation } from './lib/validate';
export {
  SECONDS_PER_MINUTE,
  computeDeadlines,
  snapshotPolicy,
  tightenSnapshot,
  type PolicySnapshot,
  type SessionDeadlines,
} from './lib/deadlines';
export { REFRESH_REFUSALS, classifyExpiry, isRefreshRefusal, type ExpiryRefusal, type RefreshRefusal } from './lib/refusal';
export { SESSION_END_REASONS, isSessionEndReason, refusalForEndReason, type SessionEndReason } from './lib/session-end';
export {
  DEFAULT_SOON_WINDOW_SECONDS,
  EXPIRY_WARNING_STATES,
  expiryWarning,
  type ExpiryReason,
  type ExpiryWarning,
  type ExpiryWarningResult,
} from './lib/expiry-warning';
export { tightenForRole, validateRoleOverride, type RoleOverride } from './lib/role-policy';
export { effectiveSessionCap, validateSessionCap } from './lib/session-cap';
