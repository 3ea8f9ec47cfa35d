import fc from 'fast-check';
import { effectiveSessionCap, validateSessionCap } from './session-cap';

describe('validateSessionCap', () => {
  it.each([null, undefined, 1, 5, 10])('accepts %p under a system cap of 10', (value) => {
    expect(validateSessionCap(value, 10)).toBeNull();
  });

  it.each([0, -1, 11, 2.5, Number.NaN, Infinity])('refuses %p', (value) => {
    expect(validateSessionCap(value, 10)).toBe('max_sessions_per_user must be an integer between 1 and 10');
  });

  it('refuses a string from untyped JSON', () => {
    expect(validateSessionCap('3' as unknown as number, 10)).not.toBeNull();
  });
});

describe('effectiveSessionCap', () => {
  it('is the system cap without an account cap', () => {
    expect(effectiveSessionCap(null, 10)).toBe(10);
  });

  it('never exceeds the system cap, even if the operator lowered it below a stored account cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (account, system) => {
        const cap = effectiveSessionCap(account, system);
        expect(cap).toBeLessThanOrEqual(system);
        expect(cap).toBeLessThanOrEqual(account);
        expect(cap).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
