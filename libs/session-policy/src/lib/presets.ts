import type { PolicyOverrides } from './resolve';

/**
 * The choices the console offers. Presets are not stored: they are derived
 * from the overrides (see {@link detectPreset}), so the database cannot hold a
 * preset name that disagrees with the numbers actually enforced.
 */
export const POLICY_PRESETS = ['strict', 'standard', 'custom'] as const;
export type PolicyPreset = (typeof POLICY_PRESETS)[number];

/** Presets that stand for fixed overrides ("custom" is whatever the owner typed). */
export type NamedPolicyPreset = Exclude<PolicyPreset, 'custom'>;

/**
 * "Standard": 7 days idle / 30 days absolute, a looser choice for teams that
 * find the 3/14-day defaults too aggressive. Frozen because it is shared.
 */
export const STANDARD_PRESET: PolicyOverrides = Object.freeze({
  idleMinutes: 10080,
  absoluteMinutes: 43200,
});

/**
 * The overrides a named preset stands for. "Strict" clears both overrides
 * instead of copying today's defaults, so the account keeps following the
 * operator's defaults if they change later.
 *
 * Returns a fresh object so callers may modify it.
 */
export function presetOverrides(preset: NamedPolicyPreset): PolicyOverrides {
  switch (preset) {
    case 'strict':
      return { idleMinutes: null, absoluteMinutes: null };
    case 'standard':
      return { ...STANDARD_PRESET };
  }
}

/**
 * Which preset the console should show as selected for stored overrides.
 *
 * Only exact matches count: explicitly storing the current default values is
 * "custom", because unlike "strict" it will not follow a change of defaults.
 */
export function detectPreset(o: PolicyOverrides): PolicyPreset {
  if (o.idleMinutes === null && o.absoluteMinutes === null) {
    return 'strict';
  }
  if (o.idleMinutes === STANDARD_PRESET.idleMinutes && o.absoluteMinutes === STANDARD_PRESET.absoluteMinutes) {
    return 'standard';
  }
  return 'custom';
}
