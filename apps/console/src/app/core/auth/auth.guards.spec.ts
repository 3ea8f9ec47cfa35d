import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, type ActivatedRouteSnapshot, type RouterStateSnapshot, type UrlTree } from '@angular/router';
import type { MeDto } from '@sessions/api-client';
import { AuthSession } from './auth-session';
import { AuthState } from './auth-state';
import { ownerGuard, signedInGuard, signedOutGuard } from './auth.guards';
import type { SignOutReason } from './sign-out-reason';

const user = (role: MeDto['role']) => ({ id: 'u1', email: 'a@example.com', role }) as MeDto;

describe('route guards', () => {
  const lastReason = signal<SignOutReason | null>(null);
  let state: AuthState;

  beforeEach(() => {
    lastReason.set(null);
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: AuthSession, useValue: { lastSignOutReason: lastReason.asReadonly() } }],
    });
    state = TestBed.inject(AuthState);
  });

  const signIn = (role: MeDto['role']) => {
    state.applyTokens({
      access_token: 'a.b.c',
      idle_expires_at: '2100-01-01T00:00:00Z',
      absolute_expires_at: '2100-01-01T00:00:00Z',
    } as never);
    state.setUser(user(role));
  };
  const run = (guard: typeof signedInGuard, url = '/') =>
    TestBed.runInInjectionContext(() => guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot)) as boolean | UrlTree;
  const serialize = (result: boolean | UrlTree) => (typeof result === 'boolean' ? result : TestBed.inject(Router).serializeUrl(result));

  describe('signedInGuard', () => {
    it('lets a signed-in user through', () => {
      signIn('engineer');
      expect(run(signedInGuard, '/devices')).toBe(true);
    });

    it('sends a signed-out visitor to /login with the page to come back to', () => {
      expect(serialize(run(signedInGuard, '/audit?page=2'))).toBe('/login?next=%2Faudit%3Fpage%3D2');
    });

    it('does not ask to come back to / and says why the last session ended', () => {
      lastReason.set('revoked_by_owner');
      expect(serialize(run(signedInGuard, '/'))).toBe('/login?reason=revoked_by_owner');
    });

    it('is not fooled by a token without a loaded user', () => {
      state.applyTokens({
        access_token: 'a.b.c',
        idle_expires_at: '2100-01-01T00:00:00Z',
        absolute_expires_at: '2100-01-01T00:00:00Z',
      } as never);
      expect(serialize(run(signedInGuard, '/devices'))).toBe('/login?next=%2Fdevices');
    });
  });

  describe('signedOutGuard', () => {
    it('shows the sign-in page to a signed-out visitor', () => {
      expect(run(signedOutGuard)).toBe(true);
    });

    it('sends a signed-in user home', () => {
      signIn('admin');
      expect(serialize(run(signedOutGuard))).toBe('/');
    });
  });

  describe('ownerGuard', () => {
    it('lets an owner through', () => {
      signIn('owner');
      expect(run(ownerGuard)).toBe(true);
    });

    it.each(['admin', 'engineer'] as const)('sends an %s to their devices', (role) => {
      signIn(role);
      expect(serialize(run(ownerGuard))).toBe('/devices');
    });
  });
});
