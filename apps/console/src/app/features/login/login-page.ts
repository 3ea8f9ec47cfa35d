import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { toSignal } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { Api, oidcAuthorize, oidcProviders, type ProviderDto } from '@sessions/api-client';
import { catchError, map, of } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { AuthSession } from '../../core/auth/auth-session';
import { parseSignOutReason, signOutNotice } from '../../core/auth/sign-out-reason';
import { signInRefusalMessage } from './sign-in-refusal';
import { sessionHint } from '../../core/auth/session-hint';
import { ThemeToggle } from '../../core/ui/theme-toggle';

@Component({
  selector: 'app-login-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ThemeToggle,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
})
export class LoginPage {
  private readonly session = inject(AuthSession);
  private readonly router = inject(Router);
  private readonly api = inject(Api);

  /** Query parameters (router input binding). */
  readonly reason = input<string>();
  readonly next = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly showPassword = signal(false);
  protected readonly notice = computed(() => {
    const refusal = signInRefusalMessage(this.reason());
    if (refusal) {
      return { text: refusal, expired: true };
    }
    const reason = parseSignOutReason(this.reason());
    return reason ? signOutNotice(reason) : null;
  });
  /** The configured providers; none (and no buttons) when the list cannot be had. */
  protected readonly providers = toSignal(
    this.api.invoke(oidcProviders).pipe(
      map((list) => list.map((provider) => ({ ...provider, href: this.authorizeHref(provider) }))),
      catchError(() => of([])),
    ),
    { initialValue: [] },
  );

  protected async submit(): Promise<void> {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      const { email, password } = this.form.getRawValue();
      await this.session.signIn(email.trim(), password);
      await this.router.navigateByUrl(this.safeNext());
    } catch (error) {
      const problem = problemOf(error);
      this.failure.set(
        problem.code === 'invalid_credentials' ? 'Wrong email or password.' : (signInRefusalMessage(problem.code) ?? problem.detail),
      );
      this.busy.set(false);
    }
  }

  /**
   * The provider's callback signs this browser in on the server (it sets the refresh
   * cookie and redirects to `/`), so the console must try to restore on its way back:
   * raise the session hint before leaving. A refused flow comes back to `/login` with its
   * reason, and the refused restore clears the hint again.
   */
  protected leavingForProvider(): void {
    sessionHint.set();
  }

  /** A full-page navigation to the API, which redirects to the provider: the flow needs the browser, not XHR. */
  private authorizeHref(provider: ProviderDto): string {
    return `${this.api.rootUrl}${oidcAuthorize.PATH.replace('{provider}', encodeURIComponent(provider.id))}`;
  }

  /** Only same-app paths, so a crafted link cannot send the user elsewhere. */
  private safeNext(): string {
    const next = this.next();
    return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
  }
}
