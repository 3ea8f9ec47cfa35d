import type { RolePolicyDto } from '@sessions/api-client';
import {
  tightenForRole,
  validateRoleOverride,
  validateSessionCap,
  type EffectivePolicy,
  type PolicyBounds,
} from '@sessions/session-policy';
import { humanDuration } from '../../shared/format';

/** What the role-override dialog shows under each field, or above them (`form`). */
export interface RoleOverrideErrors {
  idle?: string;
  absolute?: string;
  form?: string;
}

/** An empty number input reads as '' or null: both mean "keep the account's value". */
const value = (v: number | string | null | undefined): number | null => (v === '' || v === undefined || v === null ? null : Number(v));

/**
 * The role-override dialog's rules, from the API's own (`validateRoleOverride`), in
 * the console's words. Empty: the override may be saved.
 */
export function roleOverrideErrors(
  idle: number | string | null | undefined,
  absolute: number | string | null | undefined,
  b: PolicyBounds,
): RoleOverrideErrors {
  const idleMinutes = value(idle);
  const absoluteMinutes = value(absolute);
  const errors: RoleOverrideErrors = {};
  for (const violation of validateRoleOverride({ idleMinutes, absoluteMinutes }, b)) {
    if (idleMinutes === null && absoluteMinutes === null) {
      errors.form = 'Set an idle timeout, a maximum session length or both. To follow the account policy, remove the override.';
    } else if (violation.message.includes('must be an integer between')) {
      const [min, max] =
        violation.field === 'idle_minutes' ? [b.idleMinutesMin, b.idleMinutesMax] : [b.absoluteMinutesMin, b.absoluteMinutesMax];
      const text = `Enter whole minutes from ${min} to ${max} (${humanDuration(min)} to ${humanDuration(max)}).`;
      if (violation.field === 'idle_minutes') errors.idle = text;
      else errors.absolute = text;
    } else if (violation.field === 'idle_minutes') {
      errors.idle = 'The idle timeout cannot be longer than the maximum session length.';
    } else {
      errors.absolute = `The maximum session length must leave room for the shortest idle timeout (${humanDuration(b.idleMinutesMin)}).`;
    }
  }
  return errors;
}

export const hasErrors = (errors: RoleOverrideErrors): boolean => Object.keys(errors).length > 0;

/** What a role's sessions would get with these values (shown live in the dialog). */
export function previewEffective(
  account: EffectivePolicy,
  idle: number | string | null | undefined,
  absolute: number | string | null | undefined,
): EffectivePolicy {
  return tightenForRole(account, { idleMinutes: value(idle), absoluteMinutes: value(absolute) });
}

/** True when the override is looser than the account policy in every field it sets, so it changes nothing today. */
export function hasNoEffect(row: Pick<RolePolicyDto, 'idle_minutes' | 'absolute_minutes'>, account: EffectivePolicy): boolean {
  const idleLooser = row.idle_minutes === null || row.idle_minutes >= account.idleMinutes;
  const absoluteLooser = row.absolute_minutes === null || row.absolute_minutes >= account.absoluteMinutes;
  return (row.idle_minutes !== null || row.absolute_minutes !== null) && idleLooser && absoluteLooser;
}

/** The session-cap field's rule (`validateSessionCap`), in the console's words; empty means the system cap. */
export function sessionCapError(raw: number | string | null | undefined, systemMax: number): string | null {
  const cap = value(raw);
  return validateSessionCap(cap, systemMax) === null ? null : `Enter a whole number of devices from 1 to ${systemMax}, or leave it empty.`;
}
