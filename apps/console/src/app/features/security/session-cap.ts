import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, accountSecurityUpdate, type SecurityPolicyDto } from '@sessions/api-client';
import { effectiveSessionCap } from '@sessions/session-policy';
import { filter, finalize, of, switchMap } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm } from '../../shared/confirm-dialog';
import { sessionCapError } from './role-policy-validation';

/** Owner only: the account's cap on signed-in devices per user (empty: the system cap). */
@Component({
  selector: 'app-session-cap',
  imports: [MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header>
        <mat-card-title><h2>Devices per user</h2></mat-card-title>
        <mat-card-subtitle>
          Each person may be signed in on at most <strong>{{ policy().effective_max_sessions_per_user }}</strong> devices. Signing in on one
          more signs out the one used least recently.
        </mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="field">
          <mat-label>Devices per user</mat-label>
          <input
            matInput
            type="number"
            inputmode="numeric"
            [formControl]="cap"
            min="1"
            [max]="policy().system_max_sessions_per_user"
            step="1"
          />
          <mat-hint>1 to {{ policy().system_max_sessions_per_user }}; empty follows the system limit.</mat-hint>
          @if (error(); as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
      </mat-card-content>
      <mat-card-actions align="end">
        <button matButton="filled" (click)="save()" [disabled]="!canSave()">Save device limit</button>
      </mat-card-actions>
    </mat-card>
  `,
  styleUrls: ['./security-card.scss'],
  styles: `
    .field {
      margin-top: 16px;
      width: min(100%, 260px);
    }
    mat-card-actions {
      padding: 8px 16px 16px;
    }
  `,
})
export class SessionCap {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);

  readonly policy = input.required<SecurityPolicyDto>();
  readonly saved = output<SecurityPolicyDto>();

  protected readonly cap = new FormControl<number | null>(null);
  private readonly value = toSignal(this.cap.valueChanges, { initialValue: this.cap.value });
  private readonly saving = signal(false);
  protected readonly error = computed(() => sessionCapError(this.value(), this.policy().system_max_sessions_per_user));
  private readonly target = computed(() => {
    const v = this.value();
    return v === null || (v as unknown) === '' ? null : Number(v);
  });
  protected readonly canSave = computed(() => !this.saving() && !this.error() && this.target() !== this.policy().max_sessions_per_user);

  constructor() {
    effect(() => {
      const policy = this.policy();
      untracked(() => this.cap.reset(policy.max_sessions_per_user));
    });
    this.cap.valueChanges.subscribe(() => {
      const message = this.error();
      this.cap.setErrors(message ? { cap: message } : null);
      this.cap.markAsTouched();
    });
  }

  protected save(): void {
    if (!this.canSave()) {
      return;
    }
    const target = this.target();
    const policy = this.policy();
    const lower = effectiveSessionCap(target, policy.system_max_sessions_per_user) < policy.effective_max_sessions_per_user;
    const confirmed = lower
      ? openConfirm(this.dialog, {
          title: 'Lower the number of devices?',
          message: `Anyone signed in on more than ${target} devices is signed out at once on the ones they used least recently.`,
          confirmLabel: 'Lower and sign out',
          destructive: true,
        })
      : of(true);
    confirmed
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.saving.set(true);
          return this.api
            .invoke(accountSecurityUpdate, { body: { max_sessions_per_user: target } })
            .pipe(finalize(() => this.saving.set(false)));
        }),
      )
      .subscribe({
        next: (saved) => {
          this.notifier.info('Devices per user saved.');
          this.saved.emit(saved);
        },
        error: (error: unknown) => {
          const problem = problemOf(error);
          const field = problem.errors.find((e) => e.field === 'max_sessions_per_user');
          if (field) this.cap.setErrors({ cap: field.message });
          else this.notifier.error(error);
        },
      });
  }
}
