import { FormControl, FormGroup } from '@angular/forms';
import type { PolicyBounds } from '@sessions/session-policy';
import { policyFieldValidator, rangeHint } from './policy-validation';

const bounds: PolicyBounds = {
  idleMinutesDefault: 30,
  idleMinutesMin: 5,
  idleMinutesMax: 1440,
  absoluteMinutesDefault: 720,
  absoluteMinutesMin: 60,
  absoluteMinutesMax: 43200,
};

/** The policy form's two fields with the validators the form uses. */
function form(current: PolicyBounds | null = bounds) {
  const group = new FormGroup({
    idle: new FormControl<number | null>(null, [policyFieldValidator('idle_minutes', () => current)]),
    absolute: new FormControl<number | null>(null, [policyFieldValidator('absolute_minutes', () => current)]),
  });
  const set = (idle: number | null, absolute: number | null) => {
    group.setValue({ idle, absolute });
    group.controls.idle.updateValueAndValidity();
    group.controls.absolute.updateValueAndValidity();
  };
  return { group, set };
}

describe('policy form validation', () => {
  it('accepts a policy inside the bounds with idle ≤ absolute', () => {
    const { group, set } = form();
    set(30, 720);
    expect(group.valid).toBe(true);
  });

  it('rejects values outside the bounds with the range in words and numbers', () => {
    const { group, set } = form();
    set(4, 720);
    expect(group.controls.idle.errors).toEqual({ policy: 'Enter whole minutes from 5 to 1440 (5 minutes to 1 day).' });
    set(30, 50000);
    expect(group.controls.absolute.errors?.['policy']).toContain('from 60 to 43200');
  });

  it('rejects fractional minutes', () => {
    const { group, set } = form();
    set(30.5, 720);
    expect(group.controls.idle.errors?.['policy']).toContain('whole minutes');
  });

  it('puts an idle > absolute conflict on the idle field, as the API does', () => {
    const { group, set } = form();
    set(600, 120);
    expect(group.controls.idle.errors).toEqual({ policy: 'The idle timeout cannot be longer than the maximum session length.' });
    expect(group.controls.absolute.errors).toBeNull();
    expect(group.valid).toBe(false);
    set(120, 120);
    expect(group.valid).toBe(true);
  });

  it('checks only the range while the other field is empty (no second, confusing error)', () => {
    const { group, set } = form();
    set(1000, null);
    expect(group.controls.idle.errors).toBeNull();
    expect(group.controls.absolute.errors).toBeNull();
    set(2000, null);
    expect(group.controls.idle.errors?.['policy']).toContain('from 5 to 1440');
  });

  it('does not judge before the bounds have arrived', () => {
    const { group, set } = form(null);
    set(1, 1);
    expect(group.valid).toBe(true);
  });

  it('rangeHint says the range both ways', () => {
    expect(rangeHint(60, 43200)).toBe('1 hour to 30 days (60–43200 minutes)');
  });
});
