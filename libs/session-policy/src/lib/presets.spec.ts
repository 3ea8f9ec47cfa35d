import fc from 'fast-check';
import { overrideValueArb } from '../testing/arbitraries';
import { overridesWith } from '../testing/builders';
import { SYSTEM_POLICY_BOUNDS } from './bounds';
import { POLICY_PRESETS, STANDARD_PRESET, detectPreset, presetOverrides, type NamedPolicyPreset } from './presets';
import { validatePolicy } from './validate';

const NAMED: NamedPolicyPreset[] = ['strict', 'standard'];

describe('STANDARD_PRESET', () => {
  it('is 7 days idle / 30 days absolute', () => {
    expect(STANDARD_PRESET).toEqual({
      idleMinutes: 10080,
      absoluteMinutes: 43200,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(STANDARD_PRESET)).toBe(true);
  });
});

describe('presetOverrides', () => {
  it('strict clears both overrides (follows the defaults)', () => {
    expect(presetOverrides('strict')).toEqual({
      idleMinutes: null,
      absoluteMinutes: null,
    });
  });

  it('standard sets the standard numbers', () => {
    expect(presetOverrides('standard')).toEqual({
      idleMinutes: 10080,
      absoluteMinutes: 43200,
    });
  });

  it('returns a fresh object each time, never the shared constant', () => {
    const o = presetOverrides('standard');
    expect(o).not.toBe(STANDARD_PRESET);
    o.idleMinutes = 1;
    expect(presetOverrides('standard').idleMinutes).toBe(10080);
  });

  it.each(NAMED)('%s is valid under the system bounds', (preset) => {
    expect(validatePolicy(presetOverrides(preset), SYSTEM_POLICY_BOUNDS)).toEqual([]);
  });

  it.each(NAMED)('%s round-trips through detectPreset', (preset) => {
    expect(detectPreset(presetOverrides(preset))).toBe(preset);
  });
});

describe('detectPreset', () => {
  it.each([
    [overridesWith(), 'strict'],
    [overridesWith({ idleMinutes: 10080, absoluteMinutes: 43200 }), 'standard'],
    // Partial matches of Standard are custom.
    [overridesWith({ idleMinutes: 10080 }), 'custom'],
    [overridesWith({ absoluteMinutes: 43200 }), 'custom'],
    [overridesWith({ idleMinutes: 10080, absoluteMinutes: 43201 }), 'custom'],
    [overridesWith({ idleMinutes: 10079, absoluteMinutes: 43200 }), 'custom'],
    // Spelling out today's defaults is custom: it will not follow a change of defaults.
    [overridesWith({ idleMinutes: 4320, absoluteMinutes: 20160 }), 'custom'],
    [overridesWith({ idleMinutes: 15 }), 'custom'],
  ])('%p is %s', (o, expected) => {
    expect(detectPreset(o)).toBe(expected);
  });

  it('property: always one of POLICY_PRESETS; custom exactly when neither strict nor standard', () => {
    fc.assert(
      fc.property(
        fc.record({
          idleMinutes: fc.oneof(overrideValueArb(15, 43200), fc.constant(10080)),
          absoluteMinutes: fc.oneof(overrideValueArb(60, 129600), fc.constant(43200)),
        }),
        (o) => {
          const preset = detectPreset(o);
          expect(POLICY_PRESETS).toContain(preset);
          const isStrict = o.idleMinutes === null && o.absoluteMinutes === null;
          const isStandard = o.idleMinutes === 10080 && o.absoluteMinutes === 43200;
          expect(preset === 'strict').toBe(isStrict);
          expect(preset === 'standard').toBe(isStandard);
        },
      ),
    );
  });
});
