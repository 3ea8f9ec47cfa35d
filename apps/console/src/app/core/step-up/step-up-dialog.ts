import { ChangeDetectionStrategy, Component, DOCUMENT, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { Api, identitiesList, oidcStepUpStart, stepUpReauthenticate } from '@sessions/api-client';
import { AuthState } from '../auth/auth-state';
import { finalize } from 'rxjs';
import { problemOf } from '../api/problem';

export interface StepUpDialogData {
  /** The window the API asked for, in seconds (`max_age_seconds`). */
  maxAgeSeconds: number | null;
}

/** A provider linked to the user, for "Continue with …". */
interface LinkedProvider {
  id: string;
  name: string;
}

/**
 * "Confirm it's you": asks for the password when a sensitive action answered
 * `reauthentication_required`, and steps the session up. MatDialog traps focus and
 * labels the dialog by its title; the form submits on Enter; a wrong password is
 * announced next to the field. Closes with `true` once the session is stepped up.
 *
 * Users with a linked identity may "Continue with <provider>" instead (the only way for
 * members of accounts that require external sign-in: `password_step_up` is false). That
 * is a full-page round trip to the provider (ADR 0020): the page comes back to where it
 * was with `?step_up=done`, the change is not resent, and `StepUpReturn` says so.
 */
@Component({
  selector: 'app-step-up-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Confirm it's you</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="fields">
        <p id="step-up-why">{{ passwordAllowed ? why : whyProvider }}</p>
        @for (provider of providers(); track provider.id) {
          <button matButton="outlined" type="button" (click)="continueWith(provider)" [disabled]="saving()">
            Continue with {{ provider.name }}
          </button>
        }
        @if (passwordAllowed) {
          <mat-form-field appearance="outline">
            <mat-label>Password</mat-label>
            <input
              matInput
              type="password"
              formControlName="password"
              autocomplete="current-password"
              cdkFocusInitial
              aria-describedby="step-up-why"
            />
            @if (form.controls.password.hasError('server')) {
              <mat-error>{{ form.controls.password.getError('server') }}</mat-error>
            }
          </mat-form-field>
        }
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
        @if (passwordAllowed) {
          <button matButton="filled" type="submit" [disabled]="saving()">Confirm</button>
        }
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../../shared/dialog-form.scss',
})
export class StepUpDialog {
  private readonly api = inject(Api);
  private readonly ref = inject<MatDialogRef<StepUpDialog, boolean>>(MatDialogRef);
  private readonly data = inject<StepUpDialogData>(MAT_DIALOG_DATA);

  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);

  protected readonly passwordAllowed = inject(AuthState).user()?.password_step_up !== false;
  protected readonly why = `This change needs your password again: you last confirmed it more than ${minutes(this.data.maxAgeSeconds)} ago.`;
  protected readonly whyProvider = `This change needs you to sign in again with your identity provider: you last confirmed it more than ${minutes(this.data.maxAgeSeconds)} ago. You come back to this page; then repeat the change.`;
  protected readonly providers = signal<LinkedProvider[]>([]);

  constructor() {
    this.api.invoke(identitiesList).subscribe({
      next: (identities) => {
        const seen = new Map(identities.map((identity) => [identity.provider, identity.display_name]));
        this.providers.set([...seen].map(([id, name]) => ({ id, name })));
        if (!this.passwordAllowed && seen.size === 0) this.error.set('No identity provider is linked to you. Ask your account owner.');
      },
      error: (error: unknown) => this.error.set(problemOf(error).detail),
    });
  }

  /** Starts the provider's step-up on this session and leaves the page for the provider. */
  protected continueWith(provider: LinkedProvider): void {
    this.saving.set(true);
    this.error.set(null);
    const here = this.router.parseUrl(this.router.url);
    delete here.queryParams['step_up'];
    this.api.invoke(oidcStepUpStart, { provider: provider.id, body: { return_to: this.router.serializeUrl(here) } }).subscribe({
      next: (started) => this.document.location.assign(started.authorization_url),
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(problemOf(error).detail);
      },
    });
  }
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', [Validators.required, Validators.maxLength(256)]],
  });

  protected submit(): void {
    const password = this.form.controls.password;
    if (password.value === '') {
      password.setErrors({ server: 'Enter your password.' });
      password.markAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api
      .invoke(stepUpReauthenticate, { body: { password: password.value } })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: () => this.ref.close(true),
        error: (error: unknown) => {
          const problem = problemOf(error);
          if (problem.status === 422 && problem.errors.some((e) => e.field === 'password')) {
            password.setErrors({ server: 'That password is not right.' });
            password.markAsTouched();
          } else {
            // Too many tries (with the wait), an account that needs its identity provider, offline…
            this.error.set(problem.detail);
          }
        },
      });
  }
}

function minutes(seconds: number | null): string {
  const value = Math.max(1, Math.round((seconds ?? 600) / 60));
  return value === 1 ? '1 minute' : `${value} minutes`;
}
