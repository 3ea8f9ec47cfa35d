import type { PolicyBounds } from '@sessions/session-policy';
import { hasErrors, hasNoEffect, previewEffective, roleOverrideErrors, sessionCapError } from './role-policy-validation';

const bounds: PolicyBounds = {
  idleMinutesDefault: 4320,
  idleMinutesMin: 15,
  idleMinutesMax: 43200,
  absoluteMinutesDefault: 20160,
  absoluteMinutesMin: 60,
  absoluteMinutesMax: 129600,
};
const account = { idleMinutes: 4320, absoluteMinutes: 20160 };

describe('role override validation', () => {
  it('accepts one limit or both inside the bounds', () => {
    expect(roleOverrideErrors(30, 720, bounds)).toEqual({});
    expect(roleOverrideErrors(30, '', bounds)).toEqual({});
    expect(roleOverrideErrors(null, 720, bounds)).toEqual({});
  });

  it('asks for at least one limit (removal is its own action)', () => {
    const errors = roleOverrideErrors('', null, bounds);
    expect(errors.form).toContain('remove the override');
    expect(hasErrors(errors)).toBe(true);
  });

  it('names the range under the field that is out of it', () => {
    expect(roleOverrideErrors(10, null, bounds)).toEqual({ idle: 'Enter whole minutes from 15 to 43200 (15 minutes to 30 days).' });
    expect(roleOverrideErrors(null, 30.5, bounds).absolute).toContain('from 60 to 129600');
    expect(Object.keys(roleOverrideErrors(1, 1, bounds)).sort()).toEqual(['absolute', 'idle']);
  });

  it('refuses an idle timeout longer than the maximum length', () => {
    expect(roleOverrideErrors(800, 720, bounds)).toEqual({ idle: 'The idle timeout cannot be longer than the maximum session length.' });
  });

  it('refuses a maximum length with no room for the shortest idle timeout', () => {
    expect(roleOverrideErrors(null, 12, { ...bounds, absoluteMinutesMin: 10 }).absolute).toContain('shortest idle timeout');
  });
});

describe('role override preview', () => {
  it('is the smaller of each limit, idle capped at absolute', () => {
    expect(previewEffective(account, 30, 720)).toEqual({ idleMinutes: 30, absoluteMinutes: 720 });
    expect(previewEffective(account, '', 120)).toEqual({ idleMinutes: 120, absoluteMinutes: 120 });
    expect(previewEffective(account, 10080, null)).toEqual(account);
  });

  it('flags an override that is looser than the account policy everywhere', () => {
    expect(hasNoEffect({ idle_minutes: 10080, absolute_minutes: null }, account)).toBe(true);
    expect(hasNoEffect({ idle_minutes: 30, absolute_minutes: null }, account)).toBe(false);
    expect(hasNoEffect({ idle_minutes: null, absolute_minutes: null }, account)).toBe(false);
  });
});

describe('session cap validation', () => {
  it.each([null, '', 1, 10])('accepts %p with a system cap of 10', (value) => {
    expect(sessionCapError(value, 10)).toBeNull();
  });

  it.each([0, 11, 2.5, -1])('refuses %p', (value) => {
    expect(sessionCapError(value, 10)).toBe('Enter a whole number of devices from 1 to 10, or leave it empty.');
  });
});
