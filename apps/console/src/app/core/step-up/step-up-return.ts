import { DOCUMENT, Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';

/** What the provider's step-up answered, by the `step_up` code the API put on the way back. */
const OUTCOMES: Record<string, string> = {
  done: 'Confirmed it’s you. Repeat your change now.',
  oidc_reauthentication_stale: 'Not confirmed: your identity provider did not ask you to sign in again. Try again.',
  oidc_reauthentication_wrong_identity: 'Not confirmed: you signed in at the provider as someone else. Use your own identity.',
  oidc_reauthentication_session_ended: 'Not confirmed: this session has ended. Sign in again.',
  oidc_state_mismatch: 'Not confirmed: the confirmation was used already or took too long. Try again.',
  oidc_provider_error: 'Not confirmed: the identity provider did not sign you in.',
  oidc_provider_not_allowed: 'Not confirmed: your account no longer accepts this identity provider.',
};

/**
 * The page after a step-up through the provider (ADR 0020): the browser comes back to the
 * page it left with `?step_up=<outcome>`. The change that asked for it is not resent (the
 * page was reloaded, its form is gone, and a change should not happen without the user
 * seeing it again): a message says to repeat it, and the parameter leaves the address bar.
 */
@Injectable({ providedIn: 'root' })
export class StepUpReturn {
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly document = inject(DOCUMENT);

  /** Shows the outcome of a provider step-up, if this page load is the way back from one. */
  announce(): void {
    const outcome = new URLSearchParams(this.document.location.search).get('step_up');
    if (outcome === null) return;
    void this.router.navigate([], { queryParams: { step_up: null }, queryParamsHandling: 'merge', replaceUrl: true });
    this.snackBar.open(OUTCOMES[outcome] ?? 'Not confirmed. Try again.', 'Close', { duration: 10_000 });
  }
}
