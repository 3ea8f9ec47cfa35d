import type { PolicyBounds } from './bounds';
import type { EffectivePolicy, PolicyOverrides } from './resolve';
import type { PolicyViolation } from './validate';

/**
 * A role's override of the account policy, in minutes: `null` in a field means "the
 * account's value". An override can only tighten (see {@link tightenForRole}), so an
 * owner can hold owners and admins to, say, 30 min idle / 12 h absolute (NIST SP
 * 800-63B-4 AAL2) while engineers keep the account default.
 */
export type RoleOverride = PolicyOverrides;

/**
 * Checks a role override before it is saved; `[]` when it may be.
 *
 * 1. At least one field is set (removing the override is a DELETE, not an empty PUT).
 * 2. Each set field is an integer within the same bounds as the account policy.
 * 3. Only when both pass: idle ≤ absolute. An override with only an absolute limit must
 *    still leave room for the shortest allowed idle timeout (`idleMinutesMin`), so the
 *    tightened policy can never be pushed below the idle bound by the clamp in
 *    {@link tightenForRole}.
 *
 * Looser-than-the-account values are accepted on purpose: the account policy may be
 * tightened or loosened later, and the override must mean the same thing then (the
 * effective policy is the smaller of the two either way).
 */
export function validateRoleOverride(o: RoleOverride, b: PolicyBounds): PolicyViolation[] {
  if (isUnset(o.idleMinutes) && isUnset(o.absoluteMinutes)) {
    return [{ field: 'idle_minutes', message: 'set idle_minutes, absolute_minutes or both (removing the override is a DELETE)' }];
  }
  const violations = [
    checkRange('idle_minutes', o.idleMinutes, b.idleMinutesMin, b.idleMinutesMax),
    checkRange('absolute_minutes', o.absoluteMinutes, b.absoluteMinutesMin, b.absoluteMinutesMax),
  ].filter((v): v is PolicyViolation => v !== null);
  if (violations.length > 0) return violations;

  if (!isUnset(o.idleMinutes) && !isUnset(o.absoluteMinutes) && o.idleMinutes > o.absoluteMinutes) {
    return [
      {
        field: 'idle_minutes',
        message: `idle_minutes (${o.idleMinutes}) must not exceed absolute_minutes (${o.absoluteMinutes})`,
      },
    ];
  }
  if (isUnset(o.idleMinutes) && !isUnset(o.absoluteMinutes) && o.absoluteMinutes < b.idleMinutesMin) {
    return [
      {
        field: 'absolute_minutes',
        message: `absolute_minutes (${o.absoluteMinutes}) must not be less than the shortest idle timeout (${b.idleMinutesMin})`,
      },
    ];
  }
  return [];
}

/**
 * The policy of a session whose user has this role: the account's effective policy
 * tightened by the role's override, field by field (the smaller wins, an unset field
 * keeps the account's value). Idle is then capped at absolute: an idle timeout longer
 * than the absolute lifetime could never fire, and the cap keeps idle ≤ absolute when
 * a role shortens only the absolute limit. The rotation statement (`ROTATE_SQL`)
 * computes the same thing in SQL.
 */
export function tightenForRole(account: EffectivePolicy, override: RoleOverride | null): EffectivePolicy {
  const absoluteMinutes = Math.min(account.absoluteMinutes, override?.absoluteMinutes ?? Infinity);
  return {
    idleMinutes: Math.min(account.idleMinutes, override?.idleMinutes ?? Infinity, absoluteMinutes),
    absoluteMinutes,
  };
}

function checkRange(field: PolicyViolation['field'], value: number | null, min: number, max: number): PolicyViolation | null {
  if (isUnset(value)) return null;
  const v: unknown = value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return null;
  return { field, message: `${field} must be an integer between ${min} and ${max}` };
}

function isUnset(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined;
}
