import type { PolicyBounds } from './bounds';

/**
 * An account's own policy choices, in minutes. `null` means "no override:
 * follow the operator's default", so a later change of the default reaches
 * the account without a data migration.
 */
export interface PolicyOverrides {
  idleMinutes: number | null;
  absoluteMinutes: number | null;
}

/** The policy actually enforced, in minutes: overrides filled in with defaults. */
export interface EffectivePolicy {
  idleMinutes: number;
  absoluteMinutes: number;
}

/**
 * A partial update as sent by `PATCH /accounts/me/security`: `undefined`
 * (absent) leaves a field as it is, `null` clears the override, a number
 * sets it.
 */
export interface PolicyPatch {
  idleMinutes?: number | null;
  absoluteMinutes?: number | null;
}

/**
 * Fills in each missing override with the operator default.
 *
 * Resolution is per field so that an owner can, say, shorten only the idle
 * timeout and keep following the default absolute lifetime.
 */
export function resolvePolicy(o: PolicyOverrides, b: PolicyBounds): EffectivePolicy {
  return {
    idleMinutes: o.idleMinutes ?? b.idleMinutesDefault,
    absoluteMinutes: o.absoluteMinutes ?? b.absoluteMinutesDefault,
  };
}

/**
 * Applies PATCH semantics to stored overrides without mutating them.
 *
 * Kept here rather than in the API so that "absent vs. null" is decided in
 * one place; the result still has to pass `validatePolicy` before it is saved.
 */
export function applyPolicyPatch(current: PolicyOverrides, patch: PolicyPatch): PolicyOverrides {
  return {
    idleMinutes: patch.idleMinutes === undefined ? current.idleMinutes : patch.idleMinutes,
    absoluteMinutes: patch.absoluteMinutes === undefined ? current.absoluteMinutes : patch.absoluteMinutes,
  };
}
