import type { AbstractControl, ValidatorFn } from '@angular/forms';
import type { SecurityPolicyDto } from '@sessions/api-client';
import { validatePolicy, type PolicyBounds, type PolicyField } from '@sessions/session-policy';
import { humanDuration } from '../../shared/format';

/** The operator's bounds as the policy library wants them. */
export function boundsOf(policy: SecurityPolicyDto): PolicyBounds {
  return {
    idleMinutesDefault: policy.idle_minutes_default,
    idleMinutesMin: policy.idle_minutes_min,
    idleMinutesMax: policy.idle_minutes_max,
    absoluteMinutesDefault: policy.absolute_minutes_default,
    absoluteMinutesMin: policy.absolute_minutes_min,
    absoluteMinutesMax: policy.absolute_minutes_max,
  };
}

export function rangeHint(min: number, max: number): string {
  return `${humanDuration(min)} to ${humanDuration(max)} (${min}–${max} minutes)`;
}

/**
 * Validates one field of the custom-policy form with the API's own rules
 * (`validatePolicy`), so the form and the server never disagree. The error
 * value is the sentence to show under the field.
 */
export function policyFieldValidator(field: PolicyField, bounds: () => PolicyBounds | null): ValidatorFn {
  return (control: AbstractControl) => {
    const group = control.parent;
    const b = bounds();
    if (!group || !b || control.value === null || control.value === '') {
      return null;
    }
    const idleMinutes = group.get('idle')?.value as number | null;
    const absoluteMinutes = group.get('absolute')?.value as number | null;
    const other = field === 'idle_minutes' ? absoluteMinutes : idleMinutes;
    if (other === null || (other as unknown) === '') {
      // The empty field has its own error; comparing with the operator default instead
      // would put a second, confusing error on this one.
      return inRange(field, control.value as number, b) ? null : { policy: friendly(field, control.value as number, b) };
    }
    const violation = validatePolicy({ idleMinutes, absoluteMinutes }, b).find((v) => v.field === field);
    return violation ? { policy: friendly(field, control.value as number, b) } : null;
  };
}

function rangeOf(field: PolicyField, b: PolicyBounds): [number, number] {
  return field === 'idle_minutes' ? [b.idleMinutesMin, b.idleMinutesMax] : [b.absoluteMinutesMin, b.absoluteMinutesMax];
}

function inRange(field: PolicyField, value: number, b: PolicyBounds): boolean {
  const [min, max] = rangeOf(field, b);
  return Number.isInteger(value) && value >= min && value <= max;
}

function friendly(field: PolicyField, value: number, b: PolicyBounds): string {
  const [min, max] = rangeOf(field, b);
  if (!inRange(field, value, b)) {
    return `Enter whole minutes from ${min} to ${max} (${humanDuration(min)} to ${humanDuration(max)}).`;
  }
  return field === 'idle_minutes'
    ? 'The idle timeout cannot be longer than the maximum session length.'
    : 'The maximum session length cannot be shorter than the idle timeout.';
}
