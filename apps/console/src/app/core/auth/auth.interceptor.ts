import { HttpContextToken, HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { problemOf } from '../api/problem';
import { AuthSession } from './auth-session';
import { AuthState } from './auth-state';
import { TokenRefreshCoordinator } from './token-refresh-coordinator';

/** Endpoints that handle the refresh cookie: they get `X-Token-Transport: cookie`, never a retry. */
const TOKEN_ENDPOINTS = /^\/api\/auth\/(login|login\/json|signup|refresh|logout)$/;
const RETRIED = new HttpContextToken<boolean>(() => false);

/**
 * Adds the in-memory access token to API calls and keeps the refresh token
 * in its HttpOnly cookie. On a 401 `unauthenticated` (typically an access
 * token past its 5 minutes) it refreshes once — through the coordinator, so
 * tabs never race — and retries; a refused refresh signs out with the reason.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const path = sameOriginPath(request.url);
  if (path === null || !path.startsWith('/api/')) {
    return next(request);
  }
  if (path.startsWith('/api/auth/')) {
    request = request.clone({ setHeaders: { 'X-Token-Transport': 'cookie' } });
  }
  if (TOKEN_ENDPOINTS.test(path)) {
    return next(request);
  }

  const state = inject(AuthState);
  const coordinator = inject(TokenRefreshCoordinator);
  const session = inject(AuthSession);
  return next(withBearer(request, state.accessToken())).pipe(
    catchError((error: unknown) => {
      const retry =
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        problemOf(error).code === 'unauthenticated' &&
        !request.context.get(RETRIED) &&
        state.accessToken() !== null;
      if (!retry) {
        return throwError(() => error);
      }
      return from(coordinator.refresh()).pipe(
        catchError((refreshError: unknown) => {
          session.expire(refreshError);
          return throwError(() => error);
        }),
        switchMap((tokens) => next(withBearer(request.clone({ context: request.context.set(RETRIED, true) }), tokens.access_token))),
      );
    }),
  );
};

function withBearer(request: HttpRequest<unknown>, token: string | null): HttpRequest<unknown> {
  return token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
}

/** The path of a same-origin URL, without its query; null for another origin, which never gets a token. */
function sameOriginPath(url: string): string | null {
  const parsed = new URL(url, location.href);
  return parsed.origin === location.origin ? parsed.pathname : null;
}
