import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import type { TokenResponseDto } from '@sessions/api-client';
import { Subject } from 'rxjs';
import { AuthSession } from '../auth/auth-session';
import { AuthState } from '../auth/auth-state';
import { TokenRefreshCoordinator } from '../auth/token-refresh-coordinator';
import type { ExpiryToastData } from './expiry-toast';
import { EXPIRY_CHECK_INTERVAL_MS, SessionExpiryService } from './session-expiry.service';

const START = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;

/** Tokens issued "now" (iat = the fake clock), so no clock skew is applied. */
function tokensEnding(idleInMs: number, absoluteInMs: number): TokenResponseDto {
  const now = Date.now();
  const payload = btoa(JSON.stringify({ iat: Math.floor(now / 1000) })).replace(/=+$/, '');
  return {
    access_token: `h.${payload}.s`,
    idle_expires_at: new Date(Math.floor(now / 1000) * 1000 + idleInMs).toISOString(),
    absolute_expires_at: new Date(Math.floor(now / 1000) * 1000 + absoluteInMs).toISOString(),
  } as TokenResponseDto;
}

describe('SessionExpiryService (fake clock)', () => {
  let state: AuthState;
  let toasts: { data: ExpiryToastData; dismiss: jest.Mock; closed: Subject<void> }[];
  const signOut = jest.fn();
  const expire = jest.fn();
  const refresh = jest.fn();

  beforeEach(() => {
    jest.useFakeTimers({ now: START });
    toasts = [];
    signOut.mockReset().mockResolvedValue(undefined);
    expire.mockReset();
    refresh.mockReset();
    const snackBar = {
      openFromComponent: (_component: unknown, config: { data: ExpiryToastData }) => {
        const closed = new Subject<void>();
        const toast = { data: config.data, closed, dismiss: jest.fn(() => closed.next()) };
        toasts.push(toast);
        return { dismiss: toast.dismiss, afterDismissed: () => closed.asObservable() };
      },
    };
    TestBed.configureTestingModule({
      providers: [
        SessionExpiryService,
        { provide: MatSnackBar, useValue: snackBar },
        { provide: AuthSession, useValue: { signOut, expire } },
        { provide: TokenRefreshCoordinator, useValue: { refresh } },
        { provide: Router, useValue: { url: '/security?tab=2' } },
      ],
    });
    state = TestBed.inject(AuthState);
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.useRealTimers();
  });

  /** Applies tokens, starts the service and lets its effect run. */
  const start = (tokens: TokenResponseDto) => {
    state.applyTokens(tokens);
    TestBed.inject(SessionExpiryService);
    TestBed.tick();
  };
  const advance = (ms: number) => jest.advanceTimersByTime(ms);
  const open = () => toasts.filter((t) => t.dismiss.mock.calls.length === 0);

  it('stays quiet while more than five minutes are left', () => {
    start(tokensEnding(30 * MINUTE, 600 * MINUTE));
    advance(24 * MINUTE);
    expect(toasts).toEqual([]);
  });

  it('warns about inactivity five minutes ahead, counts down in place, and offers to stay signed in', () => {
    start(tokensEnding(30 * MINUTE, 600 * MINUTE));
    advance(25 * MINUTE + EXPIRY_CHECK_INTERVAL_MS);
    expect(open()).toHaveLength(1);
    const [toast] = toasts;
    expect(toast.data.action).toBe('Stay signed in');
    expect(toast.data.message()).toBe('Your session ends in 5 min (inactivity)');
    advance(2 * MINUTE);
    expect(toasts).toHaveLength(1);
    expect(toast.data.message()).toBe('Your session ends in 3 min (inactivity)');
  });

  it('"Stay signed in" refreshes, and a refused refresh goes to the session to explain', async () => {
    const refusal = new Error('refused');
    refresh.mockRejectedValue(refusal);
    start(tokensEnding(4 * MINUTE, 600 * MINUTE));
    toasts[0].data.onAction();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(toasts[0].dismiss).toHaveBeenCalled();
    await Promise.resolve();
    await Promise.resolve();
    expect(expire).toHaveBeenCalledWith(refusal);
  });

  it('signs out with the idle reason once the idle deadline has passed', () => {
    start(tokensEnding(10 * MINUTE, 600 * MINUTE));
    advance(10 * MINUTE);
    expect(signOut).toHaveBeenCalledWith('session_expired_idle');
    expect(open()).toEqual([]);
  });

  it('announces the absolute deadline with "Sign in now", which signs out and comes back here', () => {
    start(tokensEnding(30 * MINUTE, 4 * MINUTE));
    const [toast] = toasts;
    expect(toast.data.action).toBe('Sign in now');
    const at = new Date(START + 4 * MINUTE).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
    expect(toast.data.message()).toBe(`Your session reaches its maximum length at ${at} — sign in again to continue`);
    toast.data.onAction();
    expect(signOut).toHaveBeenCalledWith('sign_in_again', '/security?tab=2');
  });

  it('signs out with the absolute reason when both deadlines fall together', () => {
    start(tokensEnding(3 * MINUTE, 3 * MINUTE));
    advance(3 * MINUTE);
    expect(signOut).toHaveBeenCalledWith('session_expired_absolute');
  });

  it('keeps a dismissed notice closed for that deadline, and warns again for a new one', () => {
    start(tokensEnding(4 * MINUTE, 600 * MINUTE));
    toasts[0].data.onDismiss();
    advance(2 * EXPIRY_CHECK_INTERVAL_MS);
    expect(toasts).toHaveLength(1);
    // A refresh (here: activity in another tab) moves the idle deadline: a new notice may come.
    state.applyTokens(tokensEnding(30 * MINUTE, 600 * MINUTE));
    TestBed.tick();
    advance(26 * MINUTE);
    expect(toasts).toHaveLength(2);
    expect(open()).toHaveLength(1);
  });

  it('closes the notice when the session is gone from this tab', () => {
    start(tokensEnding(4 * MINUTE, 600 * MINUTE));
    state.clear();
    TestBed.tick();
    expect(open()).toEqual([]);
  });

  it('stops checking when the signed-in shell goes away', () => {
    start(tokensEnding(10 * MINUTE, 600 * MINUTE));
    TestBed.resetTestingModule();
    advance(20 * MINUTE);
    expect(signOut).not.toHaveBeenCalled();
  });
});
