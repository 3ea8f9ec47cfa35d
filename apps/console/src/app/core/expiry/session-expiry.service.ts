import { DestroyRef, Injectable, effect, inject, untracked } from '@angular/core';
import { MatSnackBar, type MatSnackBarRef, type TextOnlySnackBar } from '@angular/material/snack-bar';
import { expiryWarning, type SessionDeadlines } from '@sessions/session-policy';
import { AuthSession } from '../auth/auth-session';
import { AuthState } from '../auth/auth-state';
import { TokenRefreshCoordinator } from '../auth/token-refresh-coordinator';

/** How often the deadlines are looked at besides each token answer. */
export const EXPIRY_CHECK_INTERVAL_MS = 30_000;

interface Toast {
  /** Identifies the text, so an unchanged toast is not reopened every tick. */
  key: string;
  message: string;
  action: string;
  onAction: () => void;
}

/**
 * Warns before the session ends and signs out when it has.
 *
 * Every 30 s and on each token answer it classifies the time left with
 * `expiryWarning` (`none | soon | now`, `idle | absolute`):
 * - idle and soon: a countdown with "Stay signed in", which refreshes;
 * - absolute and soon: the time the session ends (refreshing cannot help);
 * - now: sign out, telling the sign-in page why.
 *
 * Provided by the signed-in shell, so it lives exactly as long as a session.
 */
@Injectable()
export class SessionExpiryService {
  private readonly state = inject(AuthState);
  private readonly session = inject(AuthSession);
  private readonly coordinator = inject(TokenRefreshCoordinator);
  private readonly snackBar = inject(MatSnackBar);
  private toast: { key: string; ref: MatSnackBarRef<TextOnlySnackBar> } | null = null;
  /** The absolute deadline whose warning the user acknowledged. */
  private acknowledgedAbsolute: number | null = null;

  constructor() {
    const timer = setInterval(() => this.check(), EXPIRY_CHECK_INTERVAL_MS);
    effect(() => {
      const deadlines = this.state.deadlines();
      untracked(() => this.check(deadlines));
    });
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      this.dismiss();
    });
  }

  private check(deadlines: SessionDeadlines | null = this.state.deadlines()): void {
    if (!deadlines) {
      this.dismiss();
      return;
    }
    const now = Date.now() / 1000;
    const warning = expiryWarning(deadlines, now);
    switch (warning.state) {
      case 'none':
        this.dismiss();
        return;
      case 'now':
        this.dismiss();
        void this.session.signOut(warning.reason === 'absolute' ? 'session_expired_absolute' : 'session_expired_idle');
        return;
      case 'soon':
        if (warning.reason === 'absolute') {
          this.show(this.absoluteToast(deadlines.absoluteExpiresAt));
        } else {
          this.show(this.idleToast(deadlines.idleExpiresAt - now));
        }
        return;
    }
  }

  private idleToast(secondsLeft: number): Toast {
    const minutes = Math.max(1, Math.ceil(secondsLeft / 60));
    return {
      key: `idle:${minutes}`,
      message: `Your session ends in ${minutes} min (inactivity)`,
      action: 'Stay signed in',
      onAction: () => {
        this.coordinator.refresh().catch((error: unknown) => this.session.expire(error));
      },
    };
  }

  private absoluteToast(absoluteExpiresAt: number): Toast | null {
    if (this.acknowledgedAbsolute === absoluteExpiresAt) {
      return null;
    }
    const time = new Date(absoluteExpiresAt * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
    return {
      key: `absolute:${absoluteExpiresAt}`,
      message: `Your session reaches its maximum length at ${time} — sign in again to continue`,
      action: 'OK',
      onAction: () => (this.acknowledgedAbsolute = absoluteExpiresAt),
    };
  }

  private show(toast: Toast | null): void {
    if (!toast) {
      this.dismiss();
      return;
    }
    if (this.toast?.key === toast.key) {
      return;
    }
    const ref = this.snackBar.open(toast.message, toast.action, { politeness: 'assertive' });
    ref.onAction().subscribe(() => toast.onAction());
    ref.afterDismissed().subscribe(() => {
      if (this.toast?.ref === ref) {
        this.toast = null;
      }
    });
    this.toast = { key: toast.key, ref };
  }

  private dismiss(): void {
    const ref = this.toast?.ref;
    this.toast = null;
    ref?.dismiss();
  }
}
