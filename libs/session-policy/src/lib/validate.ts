import type { PolicyBounds } from './bounds';
import { resolvePolicy, type PolicyOverrides } from './resolve';

/**
 * Wire names of the policy fields, as used in `validation_failed` errors, so
 * a violation can be shown next to the right input in the console.
 */
export const POLICY_FIELDS = ['idle_minutes', 'absolute_minutes'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** One entry of the `errors` array of a 422 `validation_failed` answer. */
export interface PolicyViolation {
  field: PolicyField;
  message: string;
}

/**
 * Checks overrides against the bounds; returns `[]` when they may be saved.
 *
 * Returns every problem instead of throwing so the API can answer with all of
 * them at once and the console can validate a form with the same rules.
 *
 * 1. Each set override must be an integer within its bounds.
 * 2. Only when both fields pass: effective idle ≤ effective absolute. It is
 *    checked on the *resolved* values because an idle timeout longer than the
 *    absolute lifetime could never trigger, whether or not the other field is
 *    overridden. The violation is reported on the field the owner changed
 *    (idle if it is overridden, otherwise absolute).
 */
export function validatePolicy(o: PolicyOverrides, b: PolicyBounds): PolicyViolation[] {
  const violations = [
    checkRange('idle_minutes', o.idleMinutes, b.idleMinutesMin, b.idleMinutesMax),
    checkRange('absolute_minutes', o.absoluteMinutes, b.absoluteMinutesMin, b.absoluteMinutesMax),
  ].filter((v): v is PolicyViolation => v !== null);
  if (violations.length > 0) {
    // The cross-field message would quote a value already known to be wrong.
    return violations;
  }

  const effective = resolvePolicy(o, b);
  if (effective.idleMinutes <= effective.absoluteMinutes) {
    return [];
  }
  if (!isUnset(o.idleMinutes)) {
    return [
      {
        field: 'idle_minutes',
        message: `idle_minutes (${effective.idleMinutes}) must not exceed the effective absolute_minutes (${effective.absoluteMinutes})`,
      },
    ];
  }
  return [
    {
      field: 'absolute_minutes',
      message: `absolute_minutes (${effective.absoluteMinutes}) must not be less than the effective idle_minutes (${effective.idleMinutes})`,
    },
  ];
}

function checkRange(field: PolicyField, value: number | null, min: number, max: number): PolicyViolation | null {
  if (isUnset(value)) {
    return null;
  }
  // `unknown` on purpose: values may come from untyped JSON (the console, a
  // script) and a string must be a violation, not a comparison surprise.
  const v: unknown = value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) {
    return null;
  }
  return {
    field,
    message: `${field} must be an integer between ${min} and ${max}`,
  };
}

/**
 * `undefined` is treated like `null` (no override) to agree with
 * `resolvePolicy`, which uses `??`: validating and resolving the same object
 * must never disagree about which value is in force.
 */
function isUnset(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined;
}
