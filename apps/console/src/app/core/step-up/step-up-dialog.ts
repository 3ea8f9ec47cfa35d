import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, stepUpReauthenticate } from '@sessions/api-client';
import { finalize } from 'rxjs';
import { problemOf } from '../api/problem';

export interface StepUpDialogData {
  /** The window the API asked for, in seconds (`max_age_seconds`). */
  maxAgeSeconds: number | null;
}

/**
 * "Confirm it's you": asks for the password when a sensitive action answered
 * `reauthentication_required`, and steps the session up. MatDialog traps focus and
 * labels the dialog by its title; the form submits on Enter; a wrong password is
 * announced next to the field. Closes with `true` once the session is stepped up.
 */
@Component({
  selector: 'app-step-up-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Confirm it's you</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="fields">
        <p id="step-up-why">{{ why }}</p>
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
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
        <button matButton="filled" type="submit" [disabled]="saving()">Confirm</button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../../shared/dialog-form.scss',
})
export class StepUpDialog {
  private readonly api = inject(Api);
  private readonly ref = inject<MatDialogRef<StepUpDialog, boolean>>(MatDialogRef);
  private readonly data = inject<StepUpDialogData>(MAT_DIALOG_DATA);

  protected readonly why = `This change needs your password again: you last confirmed it more than ${minutes(this.data.maxAgeSeconds)} ago.`;
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
