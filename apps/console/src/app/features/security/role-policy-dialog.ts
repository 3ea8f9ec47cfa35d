import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, rolePoliciesPut, type RolePolicyDto } from '@sessions/api-client';
import type { EffectivePolicy, PolicyBounds } from '@sessions/session-policy';
import { finalize } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { DurationPipe } from '../../shared/format.pipes';
import { ROLE_LABELS } from '../members/member-text';
import { hasErrors, previewEffective, roleOverrideErrors, type RoleOverrideErrors } from './role-policy-validation';

export interface RolePolicyDialogData {
  row: RolePolicyDto;
  bounds: PolicyBounds;
  /** The account's effective policy, for the live preview. */
  account: EffectivePolicy;
}

/** Owner only: a role's stricter limits, checked with the API's rules as they are typed. */
@Component({
  selector: 'app-role-policy-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule, DurationPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ label }}: stricter session limits</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="fields">
        <p class="explain">
          Sessions of {{ label.toLowerCase() }}s get the shorter of each limit: this one or the account's. Leave a field empty to keep the
          account's.
        </p>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Idle timeout (minutes)</mat-label>
          <input matInput type="number" inputmode="numeric" formControlName="idle" min="1" step="1" />
          <mat-hint>Account: {{ data.account.idleMinutes | duration }}</mat-hint>
          @if (errors().idle; as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Maximum session length (minutes)</mat-label>
          <input matInput type="number" inputmode="numeric" formControlName="absolute" min="1" step="1" />
          <mat-hint>Account: {{ data.account.absoluteMinutes | duration }}</mat-hint>
          @if (errors().absolute; as message) {
            <mat-error>{{ message }}</mat-error>
          }
        </mat-form-field>
        @if (errors().form; as message) {
          <p class="error" role="alert">{{ message }}</p>
        } @else if (!hasErrors(errors())) {
          <p class="explain" data-testid="role-preview">
            In force: {{ preview().idleMinutes | duration }} idle, {{ preview().absoluteMinutes | duration }} at most.
          </p>
        }
        @if (serverError(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button matButton="filled" type="submit" [disabled]="hasErrors(errors()) || saving()">Save</button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrls: ['../../shared/dialog-form.scss'],
  styles: `
    .fields {
      gap: 12px;
    }
    .explain {
      margin: 0;
      max-width: 52ch;
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class RolePolicyDialog {
  private readonly api = inject(Api);
  private readonly ref = inject<MatDialogRef<RolePolicyDialog, RolePolicyDto>>(MatDialogRef);
  protected readonly data = inject<RolePolicyDialogData>(MAT_DIALOG_DATA);

  protected readonly label = ROLE_LABELS[this.data.row.role];
  protected readonly hasErrors = hasErrors;
  protected readonly saving = signal(false);
  protected readonly serverError = signal<string | null>(null);
  protected readonly form = new FormGroup({
    idle: new FormControl<number | null>(this.data.row.idle_minutes),
    absolute: new FormControl<number | null>(this.data.row.absolute_minutes),
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly errors = computed<RoleOverrideErrors>(() => {
    const { idle, absolute } = this.value();
    return roleOverrideErrors(idle, absolute, this.data.bounds);
  });
  protected readonly preview = computed(() => previewEffective(this.data.account, this.value().idle, this.value().absolute));

  constructor() {
    // Errors show as the owner types, not only after leaving the field.
    this.form.valueChanges.subscribe(() => {
      const errors = this.errors();
      this.form.controls.idle.setErrors(errors.idle ? { policy: errors.idle } : null);
      this.form.controls.absolute.setErrors(errors.absolute ? { policy: errors.absolute } : null);
      this.form.markAllAsTouched();
    });
  }

  protected submit(): void {
    if (hasErrors(this.errors())) {
      return;
    }
    const { idle, absolute } = this.form.getRawValue();
    const number = (v: number | null) => (v === null || (v as unknown) === '' ? null : Number(v));
    this.saving.set(true);
    this.serverError.set(null);
    this.api
      .invoke(rolePoliciesPut, { role: this.data.row.role, body: { idle_minutes: number(idle), absolute_minutes: number(absolute) } })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (row) => this.ref.close(row),
        error: (error: unknown) => {
          const problem = problemOf(error);
          this.serverError.set(problem.errors.map((e) => e.message).join(' ') || problem.detail);
        },
      });
  }
}
