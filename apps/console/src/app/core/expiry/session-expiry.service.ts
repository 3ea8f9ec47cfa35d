import { DestroyRef, Injectable, effect, inject, signal, untracked, type WritableSignal } from '@angular/core';
import { MatSnackBar, type MatSnackBarRef } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { expiryWarning, type ExpiryReason, type SessionDeadlines } from '@sessions/session-policy';
import { AuthSession } from '../auth/auth-session';
import { AuthState } from '../auth/auth-state';
import { TokenRefreshCoordinator } from '../auth/token-refresh-coordinator';
import { ExpiryToast, type ExpiryToastData } from './expiry-toast';

/** How often the deadlines are looked at besides each token answer. */
export const EXPIRY_CHECK_INTERVAL_MS = 30_000;

/**
 * Deadlines are re-measured against the server's clock on every token answer
 * (see `clientDeadlines`), so the same server deadline can move by the
 * network's jitter. Closer than this, two deadlines are the same one.
 */
const SAME_DEADLINE_SECONDS = 5;

/** Which deadline a notice is about: a notice closed for it stays closed. */
interface NoticeFor {
  reason: ExpiryReason;
  deadline: number;
}

/**
 * Warns before the session ends and signs out when it has.
 *
 * Every 30 s and on each token answer it classifies the time left with
 * `expiryWarning` (`none | soon | now`, `idle | absolute`):
 * - idle and soon: a countdown with "Stay signed in", which refreshes;
 * - absolute and soon: the time the session ends, with "Sign in now"
 *   (refreshing cannot move that deadline, a new sign-in can);
 * - now: sign out, telling the sign-in page why.
 *
 * Both notices can be dismissed; a dismissed one stays closed for the same
 * deadline, and a new deadline (after a refresh) may warn again.
 *
 * Provided by the signed-in shell, so it lives exactly as long as a session.
 */
@Injectable()
export class SessionExpiryService {
  private readonly state = inject(AuthState);
  private readonly session = inject(AuthSession);
  private readonly coordinator = inject(TokenRefreshCoordinator);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private toast: (NoticeFor & { ref: MatSnackBarRef<ExpiryToast>; message: WritableSignal<string> }) | null = null;
  private dismissed: NoticeFor | null = null;

  constructor() {
    const timer = setInterval(() => this.check(), EXPIRY_CHECK_INTERVAL_MS);
    effect(() => {
      const deadlines = this.state.deadlines();
      untracked(() => this.check(deadlines));
    });
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      this.close();
    });
  }

  private check(deadlines: SessionDeadlines | null = this.state.deadlines()): void {
    if (!deadlines) {
      this.close();
      return;
    }
    const now = Date.now() / 1000;
    const warning = expiryWarning(deadlines, now);
    switch (warning.state) {
      case 'none':
        this.close();
        return;
      case 'now':
        this.close();
        void this.session.signOut(warning.reason === 'absolute' ? 'session_expired_absolute' : 'session_expired_idle');
        return;
      case 'soon':
        if (warning.reason === 'absolute') {
          this.show({ reason: 'absolute', deadline: deadlines.absoluteExpiresAt }, absoluteMessage(deadlines.absoluteExpiresAt));
        } else {
          this.show({ reason: 'idle', deadline: deadlines.idleExpiresAt }, idleMessage(deadlines.idleExpiresAt - now));
        }
        return;
    }
  }

  private show(notice: NoticeFor, message: string): void {
    if (this.dismissed && same(this.dismissed, notice)) {
      this.close();
      return;
    }
    if (this.toast && same(this.toast, notice)) {
      this.toast.message.set(message);
      return;
    }
    this.close();
    const text = signal(message);
    const data: ExpiryToastData =
      notice.reason === 'idle'
        ? { message: text, action: 'Stay signed in', onAction: () => this.staySignedIn(), onDismiss: () => this.dismiss(notice) }
        : { message: text, action: 'Sign in now', onAction: () => this.signInNow(), onDismiss: () => this.dismiss(notice) };
    const ref = this.snackBar.openFromComponent(ExpiryToast, { data, politeness: 'assertive' });
    ref.afterDismissed().subscribe(() => {
      if (this.toast?.ref === ref) {
        this.toast = null;
      }
    });
    this.toast = { ...notice, ref, message: text };
  }

  private staySignedIn(): void {
    this.close();
    this.coordinator.refresh().catch((error: unknown) => this.session.expire(error));
  }

  /** Ends the session now so that signing in again starts a new one; back here afterwards. */
  private signInNow(): void {
    this.close();
    void this.session.signOut('sign_in_again', this.router.url);
  }

  private dismiss(notice: NoticeFor): void {
    this.dismissed = notice;
    this.close();
  }

  private close(): void {
    const ref = this.toast?.ref;
    this.toast = null;
    ref?.dismiss();
  }
}

function same(a: NoticeFor, b: NoticeFor): boolean {
  return a.reason === b.reason && Math.abs(a.deadline - b.deadline) < SAME_DEADLINE_SECONDS;
}

function idleMessage(secondsLeft: number): string {
  const minutes = Math.max(1, Math.ceil(secondsLeft / 60));
  return `Your session ends in ${minutes} min (inactivity)`;
}

function absoluteMessage(absoluteExpiresAt: number): string {
  const time = new Date(absoluteExpiresAt * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  return `Your session reaches its maximum length at ${time} — sign in again to continue`;
}
