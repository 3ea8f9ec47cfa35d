import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { Api, authLoginJson, authLogout, authMe } from '@sessions/api-client';
import { firstValueFrom } from 'rxjs';
import { problemOf } from '../api/problem';
import { AuthState } from './auth-state';
import { sessionHint } from './session-hint';
import { refusalSignOutReason, type SignOutReason } from './sign-out-reason';
import { TokenRefreshCoordinator, type AuthBroadcast } from './token-refresh-coordinator';

/** Signing in, restoring a session on reload, and every way of signing out. */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly api = inject(Api);
  private readonly state = inject(AuthState);
  private readonly coordinator = inject(TokenRefreshCoordinator);
  private readonly router = inject(Router);
  private readonly reason = signal<SignOutReason | null>(null);
  /** Several refused calls at once must end the session once. */
  private signingOut = false;
  /** Set while {@link signOutSoon} waits: nothing else may end the session with another reason meanwhile. */
  private pending: SignOutReason | null = null;

  /** Why the last session ended, for the sign-in page to explain. */
  readonly lastSignOutReason = this.reason.asReadonly();

  constructor() {
    this.coordinator.fromOtherTabs.pipe(takeUntilDestroyed()).subscribe((message) => void this.followOtherTab(message));
  }

  async signIn(email: string, password: string): Promise<void> {
    const tokens = await firstValueFrom(this.api.invoke(authLoginJson, { body: { email, password } }));
    this.state.applyTokens(tokens);
    await this.loadUser();
    this.reason.set(null);
    sessionHint.set();
    this.coordinator.announceTokens(tokens);
  }

  /**
   * Runs before the first navigation: a reload keeps the user signed in by
   * trading the HttpOnly refresh cookie for a new access token. Never throws;
   * without a usable cookie the user simply lands on the sign-in page. Without
   * the session hint (first visit, signed out) there is nothing to restore and
   * no request is made.
   */
  async restore(): Promise<void> {
    if (!sessionHint.present()) {
      return;
    }
    try {
      await this.coordinator.refresh();
      await this.loadUser();
    } catch (error) {
      this.state.clear();
      const problem = problemOf(error);
      if (problem.status === 401) {
        // Refused: no session left to restore. (Offline keeps the hint for the next load.)
        sessionHint.clear();
      }
      // No cookie at all also answers a bare `invalid_refresh_token`: only a session that ended is news.
      const reason = refusalSignOutReason(problem.code, problem.reason, 'ignore');
      if (reason) {
        this.reason.set(reason);
      }
    }
  }

  /**
   * Ends this browser's session on the server, then everywhere in this browser.
   * `next` is where signing in again should lead back to.
   */
  async signOut(reason: SignOutReason = 'signed_out', next?: string): Promise<void> {
    if (this.signingOut) {
      return;
    }
    this.signingOut = true;
    try {
      await firstValueFrom(this.api.invoke(authLogout, { body: {} }));
    } catch {
      // The session may already be over (expired, revoked); signing out locally is what matters.
    } finally {
      this.signingOut = false;
    }
    this.endLocally(reason, true, next);
  }

  /**
   * Signs out after `delayMs`, so that a message about what just happened can
   * be read first. Meanwhile refused calls (the session may already be over on
   * the server) and other tabs do not pre-empt it with a reason of their own.
   */
  async signOutSoon(reason: SignOutReason, delayMs: number): Promise<void> {
    this.pending = reason;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await this.signOut(reason);
  }

  /** After a refresh the server refused: explain why when it is one of the refusal codes. */
  expire(error: unknown): void {
    const problem = problemOf(error);
    const reason = refusalSignOutReason(problem.code, problem.reason, 'explain');
    if (reason && this.pending === null && this.state.accessToken() !== null) {
      void this.signOut(reason);
    }
  }

  private async loadUser(): Promise<void> {
    this.state.setUser(await firstValueFrom(this.api.invoke(authMe)));
  }

  private endLocally(reason: SignOutReason, tellOtherTabs: boolean, next?: string): void {
    const wasSignedIn = this.state.accessToken() !== null;
    this.pending = null;
    this.state.clear();
    sessionHint.clear();
    this.reason.set(reason);
    if (tellOtherTabs) {
      this.coordinator.announceSignedOut(reason);
    }
    if (wasSignedIn || tellOtherTabs) {
      void this.router.navigate(['/login'], { queryParams: { reason, next } });
    }
  }

  private async followOtherTab(message: AuthBroadcast): Promise<void> {
    switch (message.type) {
      case 'tokens':
        if (this.state.user() === null) {
          // Signed in in another tab: this tab follows.
          this.state.applyTokens(message.tokens);
          try {
            await this.loadUser();
            await this.router.navigateByUrl('/');
          } catch {
            this.state.clear();
          }
        }
        return;
      case 'signed-out':
        if (this.state.accessToken() !== null && this.pending === null) {
          this.endLocally(message.reason, false);
        }
        return;
    }
  }
}
