import { SESSION_END_REASONS } from '@sessions/session-policy';
import { REVOKE_REASONS, type RevokeReason } from './session.entity';
import { endReasonOf, type EndedSession, revokeReasonForExpiry, sessionEndReason } from './session-end-reason';

describe('endReasonOf', () => {
  it.each<[RevokeReason, string]>([
    ['logout', 'signed_out'],
    ['device_revoked', 'signed_out_elsewhere'],
    ['others_revoked', 'signed_out_elsewhere'],
    ['bulk_revoked', 'revoked_by_owner'],
    ['refresh_reuse', 'refresh_reuse'],
    ['password_changed', 'password_changed'],
    ['user_deactivated', 'user_deactivated'],
    ['role_changed', 'role_changed'],
    ['expired_idle', 'expired_idle'],
    ['expired_absolute', 'expired_absolute'],
    ['session_limit', 'session_limit'],
  ])('tells %s as %s', (stored, told) => {
    expect(endReasonOf(stored)).toBe(told);
  });

  it('answers every stored reason, and every told reason is reachable', () => {
    const told = REVOKE_REASONS.map(endReasonOf);
    for (const reason of told) expect(SESSION_END_REASONS).toContain(reason);
    expect(new Set(told)).toEqual(new Set(SESSION_END_REASONS));
  });

  it('round-trips the deadline reasons the sweeper and the refresh store', () => {
    expect(endReasonOf(revokeReasonForExpiry('session_expired_idle'))).toBe('expired_idle');
    expect(endReasonOf(revokeReasonForExpiry('session_expired_absolute'))).toBe('expired_absolute');
  });
});

describe('sessionEndReason', () => {
  const AUTH = 1_800_000_000;
  // 15 minutes idle, 60 minutes absolute; last used 10 minutes after sign-in.
  const session = (overrides: Partial<EndedSession>): EndedSession => ({
    revokeReason: 'logout',
    revokedAt: AUTH + 11 * 60,
    authTime: AUTH,
    lastUsedAt: AUTH + 10 * 60,
    idleMaxSeconds: 15 * 60,
    absMaxSeconds: 60 * 60,
    ...overrides,
  });

  it('keeps the stored reason of a session ended inside its deadlines', () => {
    expect(sessionEndReason(session({}))).toBe('signed_out');
    expect(sessionEndReason(session({ revokeReason: 'bulk_revoked', revokedAt: AUTH + 25 * 60 - 1 }))).toBe('revoked_by_owner');
  });

  it('says the deadline when the session had already passed it when it was ended otherwise', () => {
    expect(sessionEndReason(session({ revokedAt: AUTH + 25 * 60 }))).toBe('expired_idle'); // the idle boundary is expired
    expect(sessionEndReason(session({ revokeReason: 'password_changed', revokedAt: AUTH + 60 * 60 }))).toBe('expired_absolute');
  });

  it('never second-guesses a stored deadline reason', () => {
    // The sweeper said idle; the absolute deadline passing since changes nothing.
    expect(sessionEndReason(session({ revokeReason: 'expired_idle', revokedAt: AUTH + 2 * 60 * 60 }))).toBe('expired_idle');
    expect(sessionEndReason(session({ revokeReason: 'expired_absolute' }))).toBe('expired_absolute');
  });
});
