import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthSession } from './auth-session';
import { AuthState } from './auth-state';

/** Pages behind sign-in; others go to /login and come back afterwards. */
export const signedInGuard: CanActivateFn = (_route, routerState) => {
  if (inject(AuthState).signedIn()) {
    return true;
  }
  const reason = inject(AuthSession).lastSignOutReason();
  const next = routerState.url === '/' ? null : routerState.url;
  return inject(Router).createUrlTree(['/login'], { queryParams: { next, reason } });
};

/** The sign-in page is pointless when already signed in. */
export const signedOutGuard: CanActivateFn = () => (inject(AuthState).signedIn() ? inject(Router).createUrlTree(['/']) : true);

/** Owner-only pages (the API answers 403 to other roles anyway); others land on their devices. */
export const ownerGuard: CanActivateFn = () => (inject(AuthState).isOwner() ? true : inject(Router).createUrlTree(['/devices']));

/** Pages owners manage and admins read (the API answers 403 to engineers anyway). */
export const ownerOrAdminGuard: CanActivateFn = () => {
  const role = inject(AuthState).user()?.role;
  return role === 'owner' || role === 'admin' ? true : inject(Router).createUrlTree(['/devices']);
};
