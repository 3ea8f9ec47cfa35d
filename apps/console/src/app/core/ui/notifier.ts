import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { problemOf } from '../api/problem';
import { AuthState } from '../auth/auth-state';

/** The one place pages report outcomes: a short snack-bar. */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly auth = inject(AuthState);

  info(message: string): void {
    this.snackBar.open(message, 'OK', { duration: 5000 });
  }

  /** Shows the problem+json `detail` of a failed call (or a generic sentence). */
  error(error: unknown): void {
    const problem = problemOf(error);
    if (problem.status === 401 && this.auth.accessToken() === null) {
      return; // the session just ended; the sign-in page says why
    }
    this.snackBar.open(problem.detail, 'Dismiss', {
      duration: 8000,
      panelClass: 'app-snack-error',
      politeness: 'assertive',
    });
  }
}
