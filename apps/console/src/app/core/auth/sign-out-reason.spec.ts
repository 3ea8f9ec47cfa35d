import { parseSignOutReason, refusalSignOutReason, signOutNotice } from './sign-out-reason';

describe('sign-out reasons', () => {
  describe('refusalSignOutReason', () => {
    it('keeps the deadline codes whatever the reason member says', () => {
      expect(refusalSignOutReason('session_expired_idle', 'expired_idle', 'ignore')).toBe('session_expired_idle');
      expect(refusalSignOutReason('session_expired_absolute', undefined, 'explain')).toBe('session_expired_absolute');
    });

    it("explains a refused refresh by the API's end reason", () => {
      expect(refusalSignOutReason('invalid_refresh_token', 'revoked_by_owner', 'ignore')).toBe('revoked_by_owner');
      expect(refusalSignOutReason('invalid_refresh_token', 'expired_idle', 'ignore')).toBe('session_expired_idle');
      expect(refusalSignOutReason('invalid_refresh_token', 'refresh_reuse', 'ignore')).toBe('refresh_reuse');
    });

    it('says only "it ended" for an end reason from a newer API', () => {
      expect(refusalSignOutReason('invalid_refresh_token', 'quantum_flux', 'ignore')).toBe('session_expired');
    });

    it('ignores a bare invalid_refresh_token on a first visit (no cookie) but explains it after a live session', () => {
      expect(refusalSignOutReason('invalid_refresh_token', null, 'ignore')).toBeNull();
      expect(refusalSignOutReason('invalid_refresh_token', '', 'explain')).toBe('invalid_refresh_token');
    });

    it('is no sign-out at all for codes that are not refresh refusals', () => {
      expect(refusalSignOutReason('validation_failed', 'revoked_by_owner', 'explain')).toBeNull();
      expect(refusalSignOutReason(null, null, 'explain')).toBeNull();
    });
  });

  describe('parseSignOutReason (query parameters and broadcasts are untrusted)', () => {
    it('accepts console reasons and maps API end reasons', () => {
      expect(parseSignOutReason('sign_in_again')).toBe('sign_in_again');
      expect(parseSignOutReason('expired_absolute')).toBe('session_expired_absolute');
    });

    it('rejects unknown strings, prototype keys and non-strings', () => {
      for (const value of ['toString', '__proto__', 'constructor', '<script>', '', 42, null, undefined, {}]) {
        expect(parseSignOutReason(value)).toBeNull();
      }
    });
  });

  it('marks only the reasons the user did not choose as expiries', () => {
    expect(signOutNotice('revoked_by_owner').expired).toBe(true);
    expect(signOutNotice('signed_out').expired).toBe(false);
    expect(signOutNotice('user_deactivated').text).toContain('deactivated');
  });
});
