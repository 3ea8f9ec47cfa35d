import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { Api, type MeDto, type TokenResponseDto } from '@sessions/api-client';
import { Subject, of, throwError } from 'rxjs';
import { AuthSession } from './auth-session';
import { AuthState } from './auth-state';
import { TokenRefreshCoordinator } from './token-refresh-coordinator';

const tokens: TokenResponseDto = {
  access_token: 'a.b.c',
  token_type: 'bearer',
  expires_in: 300,
  idle_expires_at: '2100-01-01T00:00:00Z',
  absolute_expires_at: '2100-01-01T00:00:00Z',
};
const me = { id: 'u1', email: 'owner@example.com', role: 'owner' } as MeDto;
const HINT = 'sessions.signed-in';

describe('AuthSession: restoring a session on load', () => {
  const refresh = jest.fn();
  const invoke = jest.fn();
  const navigate = jest.fn();
  let session: AuthSession;
  let state: AuthState;

  beforeEach(() => {
    localStorage.clear();
    refresh.mockReset();
    invoke.mockReset();
    navigate.mockReset().mockResolvedValue(true);
    TestBed.configureTestingModule({
      providers: [
        { provide: Api, useValue: { invoke } },
        { provide: Router, useValue: { navigate, navigateByUrl: navigate } },
        {
          provide: TokenRefreshCoordinator,
          useValue: { refresh, fromOtherTabs: new Subject(), announceTokens: jest.fn(), announceSignedOut: jest.fn() },
        },
      ],
    });
    session = TestBed.inject(AuthSession);
    state = TestBed.inject(AuthState);
  });

  it('makes no request on a first visit: nothing to restore, no 401 in the browser console', async () => {
    await session.restore();
    expect(refresh).not.toHaveBeenCalled();
    expect(state.signedIn()).toBe(false);
  });

  it('restores a session after a reload when this browser signed in before', async () => {
    localStorage.setItem(HINT, '1');
    refresh.mockImplementation(async () => {
      state.applyTokens(tokens);
      return tokens;
    });
    invoke.mockReturnValue(of(me));
    await session.restore();
    expect(state.signedIn()).toBe(true);
  });

  it('forgets the hint when the server refuses the refresh, and explains a session that ended', async () => {
    localStorage.setItem(HINT, '1');
    refresh.mockRejectedValue(new HttpErrorResponse({ status: 401, error: { code: 'invalid_refresh_token', reason: 'revoked_by_owner' } }));
    await session.restore();
    expect(localStorage.getItem(HINT)).toBeNull();
    expect(session.lastSignOutReason()).toBe('revoked_by_owner');
  });

  it('keeps the hint when the server could not be reached (the cookie may still be good)', async () => {
    localStorage.setItem(HINT, '1');
    refresh.mockRejectedValue(new HttpErrorResponse({ status: 0 }));
    await session.restore();
    expect(localStorage.getItem(HINT)).toBe('1');
    expect(session.lastSignOutReason()).toBeNull();
  });

  it('sets the hint on sign-in (a flag, never the token) and clears it on sign-out', async () => {
    invoke.mockImplementation((fn: { name?: string }) => (fn.name === 'authMe' ? of(me) : of(tokens)));
    await session.signIn('owner@example.com', 'pw');
    expect(localStorage.getItem(HINT)).toBe('1');
    expect(JSON.stringify({ ...localStorage })).not.toContain(tokens.access_token);
    invoke.mockReturnValue(throwError(() => new HttpErrorResponse({ status: 401 })));
    await session.signOut();
    expect(localStorage.getItem(HINT)).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'signed_out', next: undefined } });
  });
});
