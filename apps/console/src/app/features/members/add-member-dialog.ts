import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Api, ROLE, membersAdd, type MemberDto, type Role } from '@sessions/api-client';
import { finalize } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { ROLE_LABELS } from './member-text';

/** Owner only: a new member with a first password the owner hands over. */
@Component({
  selector: 'app-add-member-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Add a member</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="fields">
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="off" />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Email</mat-label>
          <input matInput type="email" formControlName="email" autocomplete="off" />
          @if (form.controls.email.hasError('email')) {
            <mat-error>Enter an email address.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Role</mat-label>
          <mat-select formControlName="role">
            @for (role of roles; track role) {
              <mat-option [value]="role">{{ labels[role] }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>First password</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="new-password" />
          <mat-hint>At least 8 characters. Give it to them privately; they can change it.</mat-hint>
          @if (form.controls.password.hasError('minlength')) {
            <mat-error>At least 8 characters.</mat-error>
          }
        </mat-form-field>
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close>Cancel</button>
        <button matButton="filled" type="submit" [disabled]="form.invalid || saving()">Add member</button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../../shared/dialog-form.scss',
})
export class AddMemberDialog {
  private readonly api = inject(Api);
  private readonly ref = inject<MatDialogRef<AddMemberDialog, MemberDto>>(MatDialogRef);

  protected readonly roles = ROLE;
  protected readonly labels = ROLE_LABELS;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    email: ['', [Validators.required, Validators.email, Validators.maxLength(320)]],
    role: ['engineer' as Role, Validators.required],
    password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(256)]],
  });

  protected submit(): void {
    if (this.form.invalid) {
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api
      .invoke(membersAdd, { body: this.form.getRawValue() })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (member) => this.ref.close(member),
        // In the dialog, next to the form: "That email is already registered."
        error: (error: unknown) => this.error.set(problemOf(error).detail),
      });
  }
}
