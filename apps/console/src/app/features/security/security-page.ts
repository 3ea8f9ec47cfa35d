import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Api, accountSecurityGet, type SecurityPolicyDto } from '@sessions/api-client';
import { problemOf } from '../../core/api/problem';
import { AuthState } from '../../core/auth/auth-state';
import { LoadState } from '../../shared/load-state';
import { PageHeader } from '../../shared/page-header';
import { ActiveUsers } from './active-users';
import { PolicyForm } from './policy-form';
import { RevokeSessions } from './revoke-sessions';

/** Owner-only: the account's session policy, who is signed in, and bulk sign-out. */
@Component({
  selector: 'app-security-page',
  imports: [ActiveUsers, LoadState, PageHeader, PolicyForm, RevokeSessions],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-page-header
      heading="Session policy"
      description="How long people in your account stay signed in. Tighter settings also reach live sessions at their next refresh."
    />
    @if (policy(); as policy) {
      <div class="stack">
        <app-policy-form [policy]="policy" (saved)="this.policy.set($event)" />
        <app-active-users [users]="policy.active_users" />
        <app-revoke-sessions [othersSignedIn]="othersSignedIn()" (revoked)="load()" />
      </div>
    } @else {
      <app-load-state label="Loading the session policy…" [error]="loadError()" (retry)="load()" />
    }
  `,
  styles: `
    .stack {
      display: flex;
      flex-direction: column;
      gap: 24px;
    }
  `,
})
export class SecurityPage {
  private readonly api = inject(Api);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly policy = signal<SecurityPolicyDto | null>(null);
  protected readonly loadError = signal<string | null>(null);
  private readonly auth = inject(AuthState);
  protected readonly othersSignedIn = computed(() => {
    const me = this.auth.user()?.id;
    return (this.policy()?.active_users ?? []).some((user) => user.user_id !== me);
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loadError.set(null);
    this.api
      .invoke(accountSecurityGet)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (policy) => this.policy.set(policy),
        error: (error: unknown) => this.loadError.set(problemOf(error).detail),
      });
  }
}
