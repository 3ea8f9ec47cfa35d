import fc from 'fast-check';
import { SYSTEM_POLICY_BOUNDS, type PolicyBounds } from '../lib/bounds';
import type { PolicySnapshot } from '../lib/deadlines';
import type { EffectivePolicy, PolicyOverrides } from '../lib/resolve';

/** Any bounds that `assertValidBounds` accepts, plus the system bounds. */
export const validBoundsArb: fc.Arbitrary<PolicyBounds> = fc.oneof(
  fc.constant(SYSTEM_POLICY_BOUNDS),
  fc
    .record({
      idleMin: fc.integer({ min: 1, max: 500 }),
      idleDefaultAboveMin: fc.integer({ min: 0, max: 5_000 }),
      idleMaxAboveDefault: fc.integer({ min: 0, max: 50_000 }),
      absDefaultAboveIdleDefault: fc.integer({ min: 0, max: 50_000 }),
      absMinFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      absMaxAboveDefault: fc.integer({ min: 0, max: 100_000 }),
    })
    .map((r): PolicyBounds => {
      const idleMinutesDefault = r.idleMin + r.idleDefaultAboveMin;
      const absoluteMinutesDefault = idleMinutesDefault + r.absDefaultAboveIdleDefault;
      return {
        idleMinutesMin: r.idleMin,
        idleMinutesDefault,
        idleMinutesMax: idleMinutesDefault + r.idleMaxAboveDefault,
        absoluteMinutesMin: Math.max(1, Math.floor(absoluteMinutesDefault * r.absMinFraction)),
        absoluteMinutesDefault,
        absoluteMinutesMax: absoluteMinutesDefault + r.absMaxAboveDefault,
      };
    }),
);

/**
 * Values an override field may hold at runtime: mostly plausible, with the
 * edges of the range, just outside it, and non-integers mixed in.
 */
export function overrideValueArb(min: number, max: number): fc.Arbitrary<number | null> {
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: fc.integer({ min, max }), weight: 6 },
    {
      arbitrary: fc.constantFrom(min, max, min - 1, max + 1, 0, -min),
      weight: 3,
    },
    { arbitrary: fc.integer({ min: -2 * max, max: 3 * max }), weight: 2 },
    {
      arbitrary: fc.double({ min: min - 1, max: max + 1, noInteger: true }),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, min + 0.5),
      weight: 1,
    },
  );
}

/** Overrides judged against the bounds they were generated for. */
export const boundsAndOverridesArb: fc.Arbitrary<{
  b: PolicyBounds;
  o: PolicyOverrides;
}> = validBoundsArb.chain((b) =>
  fc
    .record({
      idleMinutes: overrideValueArb(b.idleMinutesMin, b.idleMinutesMax),
      absoluteMinutes: overrideValueArb(b.absoluteMinutesMin, b.absoluteMinutesMax),
    })
    .map((o) => ({ b, o })),
);

/** Effective policies within the system bounds (idle ≤ absolute not enforced). */
export const effectivePolicyArb: fc.Arbitrary<EffectivePolicy> = fc.record({
  idleMinutes: fc.integer({
    min: SYSTEM_POLICY_BOUNDS.idleMinutesMin,
    max: SYSTEM_POLICY_BOUNDS.idleMinutesMax,
  }),
  absoluteMinutes: fc.integer({
    min: SYSTEM_POLICY_BOUNDS.absoluteMinutesMin,
    max: SYSTEM_POLICY_BOUNDS.absoluteMinutesMax,
  }),
});

/** Unix seconds between 2001 and 2033. */
export const unixTimeArb = fc.integer({
  min: 1_000_000_000,
  max: 2_000_000_000,
});

export const snapshotArb: fc.Arbitrary<PolicySnapshot> = fc.record({
  authTime: unixTimeArb,
  idleMaxSeconds: fc.integer({ min: 60, max: 43_200 * 60 }),
  absMaxSeconds: fc.integer({ min: 60, max: 129_600 * 60 }),
});
