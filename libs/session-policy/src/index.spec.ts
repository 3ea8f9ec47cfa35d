import * as api from './index';

describe('public API', () => {
  // The API and the console code against these names; removing or renaming one
  // is a breaking change that should be deliberate.
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'DEFAULT_SOON_WINDOW_SECONDS',
        'EXPIRY_WARNING_STATES',
        'POLICY_FIELDS',
        'POLICY_MINUTES_CEILING',
        'POLICY_PRESETS',
        'REFRESH_REFUSALS',
        'SECONDS_PER_MINUTE',
        'SESSION_END_REASONS',
        'STANDARD_PRESET',
        'SYSTEM_POLICY_BOUNDS',
        'applyPolicyPatch',
        'assertValidBounds',
        'classifyExpiry',
        'computeDeadlines',
        'detectPreset',
        'effectiveSessionCap',
        'expiryWarning',
        'isRefreshRefusal',
        'isSessionEndReason',
        'presetOverrides',
        'refusalForEndReason',
        'resolvePolicy',
        'snapshotPolicy',
        'tightenForRole',
        'tightenSnapshot',
        'validatePolicy',
        'validateRoleOverride',
        'validateSessionCap',
      ].sort(),
    );
  });
});
