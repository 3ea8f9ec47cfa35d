import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { Api, accountSecurityGet } from '@sessions/api-client';
import { AuthState } from '../../core/auth/auth-state';
import { loadErrorOf } from '../../shared/load-error';
import { LoadState } from '../../shared/load-state';
import { PageHeader } from '../../shared/page-header';
import { ActiveUsers } from './active-users';
import { LinkedIdentities } from './linked-identities';
import { PolicyForm } from './policy-form';
import { RevokeSessions } from './revoke-sessions';
import { SignInPolicyForm } from './sign-in-policy-form';
import { RolePolicies } from './role-policies';
import { SessionCap } from './session-cap';
import { boundsOf } from './policy-validation';

/**
 * Everyone: their own identities at sign-in providers. Owners also: the account's session
 * policy, limits per role, devices per user, who is signed in, bulk sign-out and the account's
 * sign-in methods. Admins also read the limits per role (the rest is owners').
 */
@Component({
  selector: 'app-security-page',
  imports: [ActiveUsers, LinkedIdentities, LoadState, PageHeader, PolicyForm, RevokeSessions, RolePolicies, SessionCap, SignInPolicyForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (role() === 'owner') {
      <app-page-header
        heading="Session policy"
        description="How long people in your account stay signed in. Tighter settings also reach live sessions at their next refresh."
      />
      @if (policy(); as policy) {
        <div class="stack">
          <app-policy-form [policy]="policy" (saved)="policyResource.set($event)" />
          <app-role-policies [canEdit]="true" [bounds]="bounds()" [account]="account()" />
          <app-session-cap [policy]="policy" (saved)="policyResource.set($event)" />
          <app-active-users [users]="policy.active_users" />
          <app-revoke-sessions [othersSignedIn]="othersSignedIn()" (revoked)="policyResource.reload()" />
          <app-sign-in-policy-form />
          <app-linked-identities />
        </div>
      } @else {
        <app-load-state label="Loading the session policy…" [error]="loadError()" (retry)="policyResource.reload()" />
      }
    } @else if (role() === 'admin') {
      <app-page-header
        heading="Session policy"
        description="How long people in your account stay signed in. Owners change these limits; yours are below."
      />
      <div class="stack">
        <app-role-policies />
        <app-linked-identities />
      </div>
    } @else if (role()) {
      <app-page-header heading="Sign-in" description="The providers you sign in with." />
      <app-linked-identities />
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
  private readonly auth = inject(AuthState);
  /** Unknown for a moment after a reload, until the session is restored. */
  protected readonly role = computed(() => this.auth.user()?.role);
  /**
   * Owners only: loads once the role is known to be owner (after a reload the session is
   * restored first); a saved form writes the API's answer into it, a bulk sign-out reloads it.
   */
  protected readonly policyResource = rxResource({
    params: () => (this.role() === 'owner' ? true : undefined),
    stream: () => this.api.invoke(accountSecurityGet),
  });
  protected readonly policy = computed(() => (this.policyResource.hasValue() ? this.policyResource.value() : null));
  protected readonly loadError = loadErrorOf(this.policyResource);
  protected readonly bounds = computed(() => {
    const policy = this.policy();
    return policy ? boundsOf(policy) : null;
  });
  /** A new object only when the numbers change, so the role table reloads only then. */
  protected readonly account = computed(
    () => {
      const policy = this.policy();
      return policy ? { idleMinutes: policy.effective_idle_minutes, absoluteMinutes: policy.effective_absolute_minutes } : null;
    },
    { equal: (a, b) => a?.idleMinutes === b?.idleMinutes && a?.absoluteMinutes === b?.absoluteMinutes },
  );
  protected readonly othersSignedIn = computed(() => {
    const me = this.auth.user()?.id;
    return (this.policy()?.active_users ?? []).some((user) => user.user_id !== me);
  });
}
