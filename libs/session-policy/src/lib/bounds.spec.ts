import fc from 'fast-check';
import { validBoundsArb } from '../testing/arbitraries';
import { boundsWith } from '../testing/builders';
import { POLICY_MINUTES_CEILING, SYSTEM_POLICY_BOUNDS, assertValidBounds, type PolicyBounds } from './bounds';

const FIELDS: (keyof PolicyBounds)[] = [
  'idleMinutesDefault',
  'idleMinutesMin',
  'idleMinutesMax',
  'absoluteMinutesDefault',
  'absoluteMinutesMin',
  'absoluteMinutesMax',
];

describe('SYSTEM_POLICY_BOUNDS', () => {
  it('matches the contract defaults and bounds', () => {
    expect(SYSTEM_POLICY_BOUNDS).toEqual({
      idleMinutesDefault: 4320,
      idleMinutesMin: 15,
      idleMinutesMax: 43200,
      absoluteMinutesDefault: 20160,
      absoluteMinutesMin: 60,
      absoluteMinutesMax: 129600,
    });
  });

  it('is frozen so no caller can change the limits for everyone', () => {
    expect(Object.isFrozen(SYSTEM_POLICY_BOUNDS)).toBe(true);
  });

  it('is itself valid', () => {
    expect(() => assertValidBounds(SYSTEM_POLICY_BOUNDS)).not.toThrow();
  });
});

describe('assertValidBounds', () => {
  describe.each(FIELDS)('%s', (field) => {
    it.each([0, -1, 1.5, Number.NaN, Infinity])('rejects %p naming the field', (bad) => {
      expect(() => assertValidBounds(boundsWith({ [field]: bad }))).toThrow(new RegExp(`^${field} must be a positive integer`));
    });

    it('rejects more than a year (what the database stores), naming the field', () => {
      expect(() => assertValidBounds(boundsWith({ [field]: POLICY_MINUTES_CEILING + 1 }))).toThrow(
        new RegExp(`^${field} must not exceed 525600 minutes`),
      );
    });

    it('rejects a non-number (e.g. an unparsed env string)', () => {
      const b = {
        ...SYSTEM_POLICY_BOUNDS,
        [field]: '60',
      } as unknown as PolicyBounds;
      expect(() => assertValidBounds(b)).toThrow(new RegExp(`^${field}`));
    });
  });

  it('rejects idle min > max', () => {
    expect(() => assertValidBounds(boundsWith({ idleMinutesMin: 5000, idleMinutesMax: 4999 }))).toThrow(
      /^idleMinutesMin \(5000\) must not exceed idleMinutesMax \(4999\)$/,
    );
  });

  it('rejects absolute min > max', () => {
    expect(() => assertValidBounds(boundsWith({ absoluteMinutesMin: 30000, absoluteMinutesMax: 29999 }))).toThrow(
      /^absoluteMinutesMin \(30000\) must not exceed absoluteMinutesMax/,
    );
  });

  it.each<[Partial<PolicyBounds>, RegExp]>([
    [{ idleMinutesDefault: 14 }, /^idleMinutesDefault \(14\) must be between/],
    [{ idleMinutesDefault: 43201 }, /^idleMinutesDefault \(43201\) must be between/],
    [{ absoluteMinutesDefault: 59 }, /^absoluteMinutesDefault \(59\) must be between/],
    [{ absoluteMinutesDefault: 129601 }, /^absoluteMinutesDefault \(129601\) must be between/],
  ])('rejects a default outside its range: %p', (patch, message) => {
    expect(() => assertValidBounds(boundsWith(patch))).toThrow(message);
  });

  it('rejects a default idle longer than the default absolute', () => {
    expect(() =>
      assertValidBounds(
        boundsWith({
          idleMinutesDefault: 20161,
          absoluteMinutesDefault: 20160,
        }),
      ),
    ).toThrow(/^idleMinutesDefault \(20161\) must not exceed absoluteMinutesDefault \(20160\)$/);
  });

  it('accepts degenerate but consistent bounds (min = default = max, idle = absolute)', () => {
    expect(() =>
      assertValidBounds({
        idleMinutesDefault: 60,
        idleMinutesMin: 60,
        idleMinutesMax: 60,
        absoluteMinutesDefault: 60,
        absoluteMinutesMin: 60,
        absoluteMinutesMax: 60,
      }),
    ).not.toThrow();
  });

  it('property: accepts every consistent set of bounds', () => {
    fc.assert(
      fc.property(validBoundsArb, (b) => {
        assertValidBounds(b);
      }),
    );
  });

  it('property: inverting a range is always reported, naming its min', () => {
    fc.assert(
      fc.property(validBoundsArb, fc.constantFrom('idle', 'absolute'), (b, kind) => {
        const max = b[`${kind}MinutesMax`];
        const broken = { ...b, [`${kind}MinutesMin`]: max + 1 };
        expect(() => assertValidBounds(broken)).toThrow(new RegExp(`^${kind}MinutesMin`));
      }),
    );
  });
});
