import { REFRESH_REFUSALS } from './refusal';
import { isSessionEndReason, refusalForEndReason, SESSION_END_REASONS } from './session-end';

describe('SESSION_END_REASONS', () => {
  it('is the vocabulary the API answers and the console explains', () => {
    expect(SESSION_END_REASONS).toEqual([
      'expired_idle',
      'expired_absolute',
      'signed_out',
      'signed_out_elsewhere',
      'revoked_by_owner',
      'refresh_reuse',
      'password_changed',
      'user_deactivated',
      'role_changed',
      'session_limit',
    ]);
  });

  it('has no duplicates', () => {
    expect(new Set(SESSION_END_REASONS).size).toBe(SESSION_END_REASONS.length);
  });
});

describe('isSessionEndReason', () => {
  it.each(SESSION_END_REASONS)('accepts %s', (reason) => {
    expect(isSessionEndReason(reason)).toBe(true);
  });

  // The stored API names are not part of the vocabulary: the console must never see them.
  it.each([
    'logout',
    'device_revoked',
    'others_revoked',
    'bulk_revoked',
    'session_expired_idle',
    'EXPIRED_IDLE',
    '',
    null,
    undefined,
    1,
    {},
  ])('rejects %p', (value) => {
    expect(isSessionEndReason(value)).toBe(false);
  });
});

describe('refusalForEndReason', () => {
  it('keeps the contract codes of the two deadlines', () => {
    expect(refusalForEndReason('expired_idle')).toBe('session_expired_idle');
    expect(refusalForEndReason('expired_absolute')).toBe('session_expired_absolute');
  });

  it.each(SESSION_END_REASONS.filter((r) => !r.startsWith('expired_')))('answers invalid_refresh_token for %s', (reason) => {
    expect(refusalForEndReason(reason)).toBe('invalid_refresh_token');
  });

  it('only ever answers a refresh refusal code', () => {
    for (const reason of SESSION_END_REASONS) expect(REFRESH_REFUSALS).toContain(refusalForEndReason(reason));
  });
});
