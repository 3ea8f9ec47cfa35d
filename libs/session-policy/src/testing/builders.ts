import { SYSTEM_POLICY_BOUNDS, type PolicyBounds } from '../lib/bounds';
import type { PolicySnapshot } from '../lib/deadlines';
import type { PolicyOverrides } from '../lib/resolve';

/** 2023-11-14T22:13:20Z: a fixed, readable sign-in time for example tests. */
export const AUTH_TIME = 1_700_000_000;

/** System bounds with selected fields replaced; a fresh object per call. */
export function boundsWith(overrides: Partial<PolicyBounds> = {}): PolicyBounds {
  return { ...SYSTEM_POLICY_BOUNDS, ...overrides };
}

/** No overrides (the Strict preset) unless told otherwise. */
export function overridesWith(overrides: Partial<PolicyOverrides> = {}): PolicyOverrides {
  return { idleMinutes: null, absoluteMinutes: null, ...overrides };
}

/** A snapshot of the system defaults taken at {@link AUTH_TIME}. */
export function snapshotWith(overrides: Partial<PolicySnapshot> = {}): PolicySnapshot {
  return {
    authTime: AUTH_TIME,
    idleMaxSeconds: 4320 * 60,
    absMaxSeconds: 20160 * 60,
    ...overrides,
  };
}
