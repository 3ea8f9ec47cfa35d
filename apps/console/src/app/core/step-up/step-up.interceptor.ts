import { HttpContextToken, HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { problemOf } from '../api/problem';
import { StepUp } from './step-up.service';

const STEPPED_UP = new HttpContextToken<boolean>(() => false);
const REAUTHENTICATE = '/api/auth/reauthenticate';

/** What a page shows when the user closed the password dialog: the action was not done. */
export const STEP_UP_CANCELLED = 'Not done: this change needs your password, and the confirmation was cancelled.';

/**
 * A sensitive action refused with 403 `reauthentication_required` (the session's last
 * authentication is older than the API's window) opens the password dialog; once the
 * session is stepped up the action is sent again, once. Cancelling fails the call with a
 * sentence saying it was not done, which the page shows as it shows any failure.
 *
 * Outside `authInterceptor`, so the retry gets the current access token and its own
 * 401 handling (the dialog may have stayed open past the token's 5 minutes).
 */
export const stepUpInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.context.get(STEPPED_UP) || request.url.endsWith(REAUTHENTICATE)) {
    return next(request);
  }
  const stepUp = inject(StepUp);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 403 || problemOf(error).code !== 'reauthentication_required') {
        return throwError(() => error);
      }
      return from(stepUp.confirm(maxAgeOf(error))).pipe(
        switchMap((confirmed) =>
          confirmed ? next(request.clone({ context: request.context.set(STEPPED_UP, true) })) : throwError(() => cancelled(error)),
        ),
      );
    }),
  );
};

function maxAgeOf(error: HttpErrorResponse): number | null {
  const body = typeof error.error === 'string' ? safeParse(error.error) : (error.error as Record<string, unknown> | null);
  const value = body?.['max_age_seconds'];
  return typeof value === 'number' ? value : null;
}

function safeParse(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function cancelled(error: HttpErrorResponse): HttpErrorResponse {
  const body = typeof error.error === 'string' ? safeParse(error.error) : (error.error as Record<string, unknown> | null);
  return new HttpErrorResponse({
    error: { ...(body ?? {}), code: 'reauthentication_required', detail: STEP_UP_CANCELLED },
    headers: error.headers,
    status: error.status,
    statusText: error.statusText,
    url: error.url ?? undefined,
  });
}
