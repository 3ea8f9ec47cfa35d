import fc from 'fast-check';
import { overrideValueArb, validBoundsArb } from '../testing/arbitraries';
import { SYSTEM_POLICY_BOUNDS, type PolicyBounds } from './bounds';
import { resolvePolicy, type PolicyOverrides } from './resolve';
import { tightenForRole, validateRoleOverride } from './role-policy';
import { validatePolicy } from './validate';

const b = SYSTEM_POLICY_BOUNDS;

describe('validateRoleOverride', () => {
  it('accepts an AAL2-style override (30 min idle, 12 h absolute)', () => {
    expect(validateRoleOverride({ idleMinutes: 30, absoluteMinutes: 720 }, b)).toEqual([]);
  });

  it.each([
    [{ idleMinutes: 30, absoluteMinutes: null }],
    [{ idleMinutes: null, absoluteMinutes: 720 }],
    [{ idleMinutes: 60, absoluteMinutes: 60 }],
  ])('accepts one field or both at the edges: %p', (o) => {
    expect(validateRoleOverride(o, b)).toEqual([]);
  });

  it('refuses an empty override (removal is a DELETE)', () => {
    expect(validateRoleOverride({ idleMinutes: null, absoluteMinutes: null }, b)).toEqual([
      { field: 'idle_minutes', message: expect.stringContaining('DELETE') },
    ]);
  });

  it.each([14, 43201, 0, -5, 30.5, Number.NaN, Infinity])('refuses idle %p outside the bounds', (idle) => {
    expect(validateRoleOverride({ idleMinutes: idle, absoluteMinutes: null }, b)).toEqual([
      { field: 'idle_minutes', message: 'idle_minutes must be an integer between 15 and 43200' },
    ]);
  });

  it('refuses a string from untyped JSON', () => {
    const o = { idleMinutes: '30', absoluteMinutes: null } as unknown as PolicyOverrides;
    expect(validateRoleOverride(o, b).map((v) => v.field)).toEqual(['idle_minutes']);
  });

  it('reports both fields out of range at once', () => {
    expect(validateRoleOverride({ idleMinutes: 1, absoluteMinutes: 1 }, b).map((v) => v.field)).toEqual([
      'idle_minutes',
      'absolute_minutes',
    ]);
  });

  it('refuses idle longer than absolute', () => {
    expect(validateRoleOverride({ idleMinutes: 800, absoluteMinutes: 720 }, b)).toEqual([
      { field: 'idle_minutes', message: 'idle_minutes (800) must not exceed absolute_minutes (720)' },
    ]);
  });

  it('refuses an absolute limit that leaves no room for the shortest idle timeout', () => {
    const bounds: PolicyBounds = { ...b, absoluteMinutesMin: 10 };
    expect(validateRoleOverride({ idleMinutes: null, absoluteMinutes: 12 }, bounds)).toEqual([
      { field: 'absolute_minutes', message: 'absolute_minutes (12) must not be less than the shortest idle timeout (15)' },
    ]);
  });
});

describe('tightenForRole', () => {
  const account = { idleMinutes: 4320, absoluteMinutes: 20160 };

  it('is the account policy without an override', () => {
    expect(tightenForRole(account, null)).toEqual(account);
  });

  it('takes the smaller value per field', () => {
    expect(tightenForRole(account, { idleMinutes: 30, absoluteMinutes: 720 })).toEqual({ idleMinutes: 30, absoluteMinutes: 720 });
    expect(tightenForRole(account, { idleMinutes: 30, absoluteMinutes: null })).toEqual({ idleMinutes: 30, absoluteMinutes: 20160 });
  });

  it('never loosens: a looser override changes nothing', () => {
    expect(tightenForRole(account, { idleMinutes: 10080, absoluteMinutes: 43200 })).toEqual(account);
  });

  it('caps idle at a shorter absolute limit', () => {
    expect(tightenForRole(account, { idleMinutes: null, absoluteMinutes: 720 })).toEqual({ idleMinutes: 720, absoluteMinutes: 720 });
  });
});

describe('tightenForRole (properties)', () => {
  /** Bounds, a valid account policy and a valid role override for them. */
  const arb = validBoundsArb
    .chain((bounds) =>
      fc.record({
        bounds: fc.constant(bounds),
        account: fc.record({
          idleMinutes: overrideValueArb(bounds.idleMinutesMin, bounds.idleMinutesMax),
          absoluteMinutes: overrideValueArb(bounds.absoluteMinutesMin, bounds.absoluteMinutesMax),
        }),
        role: fc.record({
          idleMinutes: overrideValueArb(bounds.idleMinutesMin, bounds.idleMinutesMax),
          absoluteMinutes: overrideValueArb(bounds.absoluteMinutesMin, bounds.absoluteMinutesMax),
        }),
      }),
    )
    .filter(({ bounds, account, role }) => validatePolicy(account, bounds).length === 0 && validateRoleOverride(role, bounds).length === 0);

  it('is never looser than the account policy or the override, keeps idle ≤ absolute and stays within the bounds', () => {
    fc.assert(
      fc.property(arb, ({ bounds, account, role }) => {
        const accountPolicy = resolvePolicy(account, bounds);
        const effective = tightenForRole(accountPolicy, role);
        expect(effective.idleMinutes).toBeLessThanOrEqual(accountPolicy.idleMinutes);
        expect(effective.absoluteMinutes).toBeLessThanOrEqual(accountPolicy.absoluteMinutes);
        if (role.idleMinutes !== null) expect(effective.idleMinutes).toBeLessThanOrEqual(role.idleMinutes);
        if (role.absoluteMinutes !== null) expect(effective.absoluteMinutes).toBeLessThanOrEqual(role.absoluteMinutes);
        expect(effective.idleMinutes).toBeLessThanOrEqual(effective.absoluteMinutes);
        expect(effective.idleMinutes).toBeGreaterThanOrEqual(bounds.idleMinutesMin);
        expect(effective.idleMinutes).toBeLessThanOrEqual(bounds.idleMinutesMax);
        expect(effective.absoluteMinutes).toBeGreaterThanOrEqual(bounds.absoluteMinutesMin);
        expect(effective.absoluteMinutes).toBeLessThanOrEqual(bounds.absoluteMinutesMax);
      }),
      { numRuns: 500 },
    );
  });

  it('equals one of its inputs per field (tightening invents no value)', () => {
    fc.assert(
      fc.property(arb, ({ bounds, account, role }) => {
        const accountPolicy = resolvePolicy(account, bounds);
        const effective = tightenForRole(accountPolicy, role);
        expect([accountPolicy.absoluteMinutes, role.absoluteMinutes]).toContain(effective.absoluteMinutes);
        expect([accountPolicy.idleMinutes, role.idleMinutes, effective.absoluteMinutes]).toContain(effective.idleMinutes);
      }),
    );
  });

  it('is idempotent: tightening twice by the same override changes nothing more', () => {
    fc.assert(
      fc.property(arb, ({ bounds, account, role }) => {
        const once = tightenForRole(resolvePolicy(account, bounds), role);
        expect(tightenForRole(once, role)).toEqual(once);
      }),
    );
  });
});
