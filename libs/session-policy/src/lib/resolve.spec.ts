import fc from 'fast-check';
import { boundsAndOverridesArb, overrideValueArb } from '../testing/arbitraries';
import { boundsWith, overridesWith } from '../testing/builders';
import { SYSTEM_POLICY_BOUNDS } from './bounds';
import { applyPolicyPatch, resolvePolicy, type PolicyOverrides, type PolicyPatch } from './resolve';

describe('resolvePolicy', () => {
  it('uses the defaults when nothing is overridden', () => {
    expect(resolvePolicy(overridesWith(), SYSTEM_POLICY_BOUNDS)).toEqual({
      idleMinutes: 4320,
      absoluteMinutes: 20160,
    });
  });

  it('uses both overrides when both are set', () => {
    expect(resolvePolicy(overridesWith({ idleMinutes: 15, absoluteMinutes: 60 }), SYSTEM_POLICY_BOUNDS)).toEqual({
      idleMinutes: 15,
      absoluteMinutes: 60,
    });
  });

  it('resolves each field on its own (partial override of idle)', () => {
    expect(resolvePolicy(overridesWith({ idleMinutes: 30 }), SYSTEM_POLICY_BOUNDS)).toEqual({ idleMinutes: 30, absoluteMinutes: 20160 });
  });

  it('resolves each field on its own (partial override of absolute)', () => {
    expect(resolvePolicy(overridesWith({ absoluteMinutes: 90 }), SYSTEM_POLICY_BOUNDS)).toEqual({ idleMinutes: 4320, absoluteMinutes: 90 });
  });

  it('follows configured defaults, not the system ones', () => {
    const b = boundsWith({
      idleMinutesDefault: 100,
      absoluteMinutesDefault: 200,
    });
    expect(resolvePolicy(overridesWith(), b)).toEqual({
      idleMinutes: 100,
      absoluteMinutes: 200,
    });
  });

  it('keeps an override of 0 (only null/undefined mean "unset")', () => {
    // 0 is invalid, but resolving must not silently swap it for the default.
    expect(resolvePolicy(overridesWith({ idleMinutes: 0 }), SYSTEM_POLICY_BOUNDS).idleMinutes).toBe(0);
  });

  it('property: each resolved value is the override when set, else the default', () => {
    fc.assert(
      fc.property(boundsAndOverridesArb, ({ b, o }) => {
        const r = resolvePolicy(o, b);
        expect(r.idleMinutes).toBe(o.idleMinutes ?? b.idleMinutesDefault);
        expect(r.absoluteMinutes).toBe(o.absoluteMinutes ?? b.absoluteMinutesDefault);
        expect(Object.keys(r).sort()).toEqual(['absoluteMinutes', 'idleMinutes']);
      }),
    );
  });
});

describe('applyPolicyPatch', () => {
  const current: PolicyOverrides = { idleMinutes: 30, absoluteMinutes: 600 };

  it('leaves everything unchanged for an empty patch', () => {
    expect(applyPolicyPatch(current, {})).toEqual(current);
  });

  it('treats an explicit undefined like an absent field', () => {
    expect(
      applyPolicyPatch(current, {
        idleMinutes: undefined,
        absoluteMinutes: undefined,
      }),
    ).toEqual(current);
  });

  it('sets a field to a number', () => {
    expect(applyPolicyPatch(current, { idleMinutes: 45 })).toEqual({
      idleMinutes: 45,
      absoluteMinutes: 600,
    });
  });

  it('clears a field with null', () => {
    expect(applyPolicyPatch(current, { absoluteMinutes: null })).toEqual({
      idleMinutes: 30,
      absoluteMinutes: null,
    });
  });

  it('clears both with nulls (back to Strict)', () => {
    expect(applyPolicyPatch(current, { idleMinutes: null, absoluteMinutes: null })).toEqual({ idleMinutes: null, absoluteMinutes: null });
  });

  it('sets a previously cleared field', () => {
    expect(applyPolicyPatch(overridesWith(), { absoluteMinutes: 120 })).toEqual({
      idleMinutes: null,
      absoluteMinutes: 120,
    });
  });

  it('does not validate: an invalid value passes through to validatePolicy', () => {
    expect(applyPolicyPatch(current, { idleMinutes: 1 }).idleMinutes).toBe(1);
  });

  it('does not mutate its inputs', () => {
    const before = { ...current };
    const patch: PolicyPatch = { idleMinutes: null };
    applyPolicyPatch(current, patch);
    expect(current).toEqual(before);
    expect(patch).toEqual({ idleMinutes: null });
  });

  const patchFieldArb = fc.option(overrideValueArb(15, 43200), {
    nil: undefined,
  });

  it('property: each field is the patch value when given, else the current one; applying twice changes nothing more', () => {
    fc.assert(
      fc.property(
        fc.record({
          idleMinutes: overrideValueArb(15, 43200),
          absoluteMinutes: overrideValueArb(60, 129600),
        }),
        fc.record({ idleMinutes: patchFieldArb, absoluteMinutes: patchFieldArb }, { requiredKeys: [] }),
        (cur, patch) => {
          const next = applyPolicyPatch(cur, patch);
          expect(next.idleMinutes).toBe(patch.idleMinutes === undefined ? cur.idleMinutes : patch.idleMinutes);
          expect(next.absoluteMinutes).toBe(patch.absoluteMinutes === undefined ? cur.absoluteMinutes : patch.absoluteMinutes);
          expect(applyPolicyPatch(next, patch)).toEqual(next);
        },
      ),
    );
  });
});
