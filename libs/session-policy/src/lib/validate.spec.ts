import fc from 'fast-check';
import { boundsAndOverridesArb, validBoundsArb } from '../testing/arbitraries';
import { boundsWith, overridesWith } from '../testing/builders';
import { SYSTEM_POLICY_BOUNDS, type PolicyBounds } from './bounds';
import { resolvePolicy, type PolicyOverrides } from './resolve';
import { POLICY_FIELDS, validatePolicy } from './validate';

const IDLE_RANGE = 'idle_minutes must be an integer between 15 and 43200';
const ABS_RANGE = 'absolute_minutes must be an integer between 60 and 129600';

function validate(o: Partial<PolicyOverrides>, b: PolicyBounds = SYSTEM_POLICY_BOUNDS) {
  return validatePolicy(overridesWith(o), b);
}

describe('POLICY_FIELDS', () => {
  it('uses the wire (snake_case) names', () => {
    expect(POLICY_FIELDS).toEqual(['idle_minutes', 'absolute_minutes']);
  });
});

describe('validatePolicy', () => {
  describe('defaults', () => {
    it('accepts no overrides at all (Strict)', () => {
      expect(validate({})).toEqual([]);
    });
  });

  describe('idle_minutes range (15–43200)', () => {
    it.each([15, 16, 4320, 20160])('accepts %p with the default absolute', (idle) => {
      expect(validate({ idleMinutes: idle })).toEqual([]);
    });

    it('accepts the maximum 43200 when absolute allows it', () => {
      expect(validate({ idleMinutes: 43200, absoluteMinutes: 43200 })).toEqual([]);
    });

    it.each([14, 0, -15, 43201, 1e9])('rejects %p naming the bounds', (idle) => {
      expect(validate({ idleMinutes: idle, absoluteMinutes: 129600 })).toEqual([{ field: 'idle_minutes', message: IDLE_RANGE }]);
    });

    it.each([15.5, 14.999, 43200.1, Number.NaN, Infinity, -Infinity])('rejects the non-integer %p', (idle) => {
      expect(validate({ idleMinutes: idle })).toEqual([{ field: 'idle_minutes', message: IDLE_RANGE }]);
    });

    it('rejects a numeric string from untyped JSON', () => {
      expect(validate({ idleMinutes: '60' as unknown as number })).toEqual([{ field: 'idle_minutes', message: IDLE_RANGE }]);
    });
  });

  describe('absolute_minutes range (60–129600)', () => {
    it.each([60, 61, 20160, 129599, 129600])('accepts %p with a short idle', (abs) => {
      expect(validate({ idleMinutes: 15, absoluteMinutes: abs })).toEqual([]);
    });

    it.each([59, 0, -60, 129601])('rejects %p naming the bounds', (abs) => {
      expect(validate({ idleMinutes: 15, absoluteMinutes: abs })).toEqual([{ field: 'absolute_minutes', message: ABS_RANGE }]);
    });

    it.each([60.5, Number.NaN, Infinity])('rejects the non-integer %p', (abs) => {
      expect(validate({ idleMinutes: 15, absoluteMinutes: abs })).toEqual([{ field: 'absolute_minutes', message: ABS_RANGE }]);
    });
  });

  describe('both fields out of range', () => {
    it('reports both, idle first, and no cross-field violation', () => {
      expect(validate({ idleMinutes: 14, absoluteMinutes: 59 })).toEqual([
        { field: 'idle_minutes', message: IDLE_RANGE },
        { field: 'absolute_minutes', message: ABS_RANGE },
      ]);
    });
  });

  describe('effective idle ≤ effective absolute', () => {
    it('accepts idle equal to absolute', () => {
      expect(validate({ idleMinutes: 60, absoluteMinutes: 60 })).toEqual([]);
    });

    it('rejects idle one minute above absolute, on idle_minutes', () => {
      expect(validate({ idleMinutes: 61, absoluteMinutes: 60 })).toEqual([
        {
          field: 'idle_minutes',
          message: 'idle_minutes (61) must not exceed the effective absolute_minutes (60)',
        },
      ]);
    });

    it('checks a partial idle override against the default absolute (43200 vs 20160)', () => {
      expect(validate({ idleMinutes: 43200 })).toEqual([
        {
          field: 'idle_minutes',
          message: 'idle_minutes (43200) must not exceed the effective absolute_minutes (20160)',
        },
      ]);
    });

    it('accepts a partial idle override equal to the default absolute', () => {
      expect(validate({ idleMinutes: 20160 })).toEqual([]);
    });

    it('rejects a partial idle override one above the default absolute', () => {
      expect(validate({ idleMinutes: 20161 })).toEqual([
        {
          field: 'idle_minutes',
          message: 'idle_minutes (20161) must not exceed the effective absolute_minutes (20160)',
        },
      ]);
    });

    it('checks a partial absolute override against the default idle, on absolute_minutes', () => {
      expect(validate({ absoluteMinutes: 60 })).toEqual([
        {
          field: 'absolute_minutes',
          message: 'absolute_minutes (60) must not be less than the effective idle_minutes (4320)',
        },
      ]);
    });

    it('accepts a partial absolute override equal to the default idle', () => {
      expect(validate({ absoluteMinutes: 4320 })).toEqual([]);
    });

    it('rejects a partial absolute override one below the default idle', () => {
      expect(validate({ absoluteMinutes: 4319 })).toHaveLength(1);
    });

    it('skips the cross-field check while a field is out of range', () => {
      // idle 43200 would exceed absolute, but the absolute value itself is invalid.
      expect(validate({ idleMinutes: 43200, absoluteMinutes: 59 })).toEqual([{ field: 'absolute_minutes', message: ABS_RANGE }]);
    });

    it('uses the configured defaults for the other field', () => {
      const b = boundsWith({ absoluteMinutesDefault: 1000 });
      expect(validate({ idleMinutes: 1001 }, b)).toEqual([
        {
          field: 'idle_minutes',
          message: 'idle_minutes (1001) must not exceed the effective absolute_minutes (1000)',
        },
      ]);
      expect(validate({ idleMinutes: 1000 }, b)).toEqual([]);
    });
  });

  it('treats undefined (e.g. an absent JSON field) like null', () => {
    const o = {
      idleMinutes: undefined,
      absoluteMinutes: undefined,
    } as unknown as PolicyOverrides;
    expect(validatePolicy(o, SYSTEM_POLICY_BOUNDS)).toEqual([]);
  });

  it('names configured bounds in the message', () => {
    const b = boundsWith({ idleMinutesMin: 30, idleMinutesMax: 600 });
    expect(validate({ idleMinutes: 29 }, b)).toEqual([
      {
        field: 'idle_minutes',
        message: 'idle_minutes must be an integer between 30 and 600',
      },
    ]);
  });

  describe('properties', () => {
    it('a policy that validates has integer effective values within bounds and idle ≤ absolute', () => {
      fc.assert(
        fc.property(boundsAndOverridesArb, ({ b, o }) => {
          fc.pre(validatePolicy(o, b).length === 0);
          const e = resolvePolicy(o, b);
          expect(Number.isInteger(e.idleMinutes)).toBe(true);
          expect(Number.isInteger(e.absoluteMinutes)).toBe(true);
          expect(e.idleMinutes).toBeGreaterThanOrEqual(b.idleMinutesMin);
          expect(e.idleMinutes).toBeLessThanOrEqual(b.idleMinutesMax);
          expect(e.absoluteMinutes).toBeGreaterThanOrEqual(b.absoluteMinutesMin);
          expect(e.absoluteMinutes).toBeLessThanOrEqual(b.absoluteMinutesMax);
          expect(e.idleMinutes).toBeLessThanOrEqual(e.absoluteMinutes);
        }),
      );
    });

    it('never rejects in-range integers whose effective idle ≤ absolute', () => {
      fc.assert(
        fc.property(
          validBoundsArb.chain((b) =>
            fc
              .record({
                idleMinutes: fc.option(fc.integer({ min: b.idleMinutesMin, max: b.idleMinutesMax }), { nil: null }),
                absoluteMinutes: fc.option(
                  fc.integer({
                    min: b.absoluteMinutesMin,
                    max: b.absoluteMinutesMax,
                  }),
                  { nil: null },
                ),
              })
              .map((o) => ({ b, o })),
          ),
          ({ b, o }) => {
            const e = resolvePolicy(o, b);
            const violations = validatePolicy(o, b);
            if (e.idleMinutes <= e.absoluteMinutes) {
              expect(violations).toEqual([]);
            } else {
              // Exactly one cross-field violation, on the field the owner set.
              expect(violations).toHaveLength(1);
              expect(violations[0].field).toBe(o.idleMinutes !== null ? 'idle_minutes' : 'absolute_minutes');
            }
          },
        ),
      );
    });

    it('reports at most one violation per field, always with a known field name', () => {
      fc.assert(
        fc.property(boundsAndOverridesArb, ({ b, o }) => {
          const fields = validatePolicy(o, b).map((v) => v.field);
          expect(new Set(fields).size).toBe(fields.length);
          for (const f of fields) {
            expect(POLICY_FIELDS).toContain(f);
          }
        }),
      );
    });

    it('an out-of-range or non-integer override is always reported on its field', () => {
      fc.assert(
        fc.property(boundsAndOverridesArb, ({ b, o }) => {
          const fields = validatePolicy(o, b).map((v) => v.field);
          const bad = (v: number | null, min: number, max: number) => v !== null && !(Number.isInteger(v) && v >= min && v <= max);
          if (bad(o.idleMinutes, b.idleMinutesMin, b.idleMinutesMax)) {
            expect(fields).toContain('idle_minutes');
          }
          if (bad(o.absoluteMinutes, b.absoluteMinutesMin, b.absoluteMinutesMax)) {
            expect(fields).toContain('absolute_minutes');
          }
        }),
      );
    });
  });
});
