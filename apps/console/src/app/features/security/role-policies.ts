import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import { Api, rolePoliciesList, rolePoliciesRemove, type Role, type RolePolicyDto } from '@sessions/api-client';
import type { EffectivePolicy, PolicyBounds } from '@sessions/session-policy';
import { filter, switchMap } from 'rxjs';
import { problemOf } from '../../core/api/problem';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm } from '../../shared/confirm-dialog';
import { DurationPipe } from '../../shared/format.pipes';
import { LoadState } from '../../shared/load-state';
import { ROLE_LABELS } from '../members/member-text';
import { RolePolicyDialog, type RolePolicyDialogData } from './role-policy-dialog';
import { hasNoEffect } from './role-policy-validation';

/** Per-role overrides as a small table: owners edit and remove, admins read. */
@Component({
  selector: 'app-role-policies',
  imports: [MatButtonModule, MatCardModule, MatTableModule, DurationPipe, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header>
        <mat-card-title><h2>Stricter limits per role</h2></mat-card-title>
        <mat-card-subtitle>
          A role can be held to shorter limits than the account, for example 30 minutes idle and 12 hours at most for owners and admins
          (NIST SP 800-63B-4, AAL2). A stricter limit reaches live sessions at their next refresh.
        </mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        @if (rows(); as rows) {
          <table mat-table [dataSource]="rows" class="stack-table" aria-label="Limits per role">
            <ng-container matColumnDef="role">
              <th mat-header-cell *matHeaderCellDef>Role</th>
              <td mat-cell *matCellDef="let row" class="role">{{ label(row.role) }}</td>
            </ng-container>
            <ng-container matColumnDef="idle">
              <th mat-header-cell *matHeaderCellDef>Idle</th>
              <td mat-cell *matCellDef="let row" data-label="Idle">
                {{ row.idle_minutes === null ? 'Account' : (row.idle_minutes | duration) }}
              </td>
            </ng-container>
            <ng-container matColumnDef="absolute">
              <th mat-header-cell *matHeaderCellDef>Maximum</th>
              <td mat-cell *matCellDef="let row" data-label="Maximum">
                {{ row.absolute_minutes === null ? 'Account' : (row.absolute_minutes | duration) }}
              </td>
            </ng-container>
            <ng-container matColumnDef="effective">
              <th mat-header-cell *matHeaderCellDef>In force</th>
              <td mat-cell *matCellDef="let row" data-label="In force">
                {{ row.effective_idle_minutes | duration }} idle · {{ row.effective_absolute_minutes | duration }} at most
                @if (account() && hasNoEffect(row, account()!)) {
                  <span class="note">(the account policy is stricter)</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="visually-hidden">Actions</span></th>
              <td mat-cell *matCellDef="let row" class="actions">
                <button matButton (click)="edit(row)" [disabled]="!canEdit()" [attr.aria-label]="'Edit limits of ' + label(row.role)">
                  {{ row.idle_minutes === null && row.absolute_minutes === null ? 'Set' : 'Edit' }}
                </button>
                @if (row.idle_minutes !== null || row.absolute_minutes !== null) {
                  <button matButton (click)="remove(row)" [attr.aria-label]="'Remove limits of ' + label(row.role)">Remove</button>
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns()"></tr>
            <tr mat-row *matRowDef="let row; columns: columns()" [attr.data-role]="row.role"></tr>
          </table>
          @if (!canEdit()) {
            <p class="explain">Only owners change these limits.</p>
          }
        } @else {
          <app-load-state label="Loading the limits per role…" [error]="loadError()" (retry)="load()" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrls: ['./security-card.scss'],
  styles: `
    table {
      margin-top: 12px;
    }
    .role {
      font-weight: 500;
    }
    .actions {
      text-align: right;
      white-space: nowrap;
    }
    .note,
    .explain {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .explain {
      margin: 12px 0 0;
    }
  `,
})
export class RolePolicies {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);

  /** Owners edit; admins read. */
  readonly canEdit = input(false);
  /** The operator's bounds and the account's effective policy (owners only: what the dialog checks against). */
  readonly bounds = input<PolicyBounds | null>(null);
  readonly account = input<EffectivePolicy | null>(null);

  protected readonly label = (role: Role): string => ROLE_LABELS[role];
  protected readonly hasNoEffect = hasNoEffect;
  protected readonly rows = signal<RolePolicyDto[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly columns = computed(() =>
    this.canEdit() ? ['role', 'idle', 'absolute', 'effective', 'actions'] : ['role', 'idle', 'absolute', 'effective'],
  );

  constructor() {
    // Effective values follow the account policy: reload when it changes.
    effect(() => {
      this.account();
      untracked(() => this.load());
    });
  }

  protected load(): void {
    this.loadError.set(null);
    this.api
      .invoke(rolePoliciesList)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (rows) => this.rows.set(rows),
        error: (error: unknown) => this.loadError.set(problemOf(error).detail),
      });
  }

  protected edit(row: RolePolicyDto): void {
    const bounds = this.bounds();
    const account = this.account();
    if (!bounds || !account) {
      return;
    }
    this.dialog
      .open<RolePolicyDialog, RolePolicyDialogData, RolePolicyDto>(RolePolicyDialog, { data: { row, bounds, account }, width: '480px' })
      .afterClosed()
      .pipe(filter((saved): saved is RolePolicyDto => saved !== undefined))
      .subscribe((saved) => {
        this.replace(saved);
        this.notifier.info(
          `Limits for ${ROLE_LABELS[saved.role].toLowerCase()}s saved. Stricter limits reach live sessions at their next refresh.`,
        );
      });
  }

  protected remove(row: RolePolicyDto): void {
    const label = ROLE_LABELS[row.role];
    openConfirm(this.dialog, {
      title: `Remove the limits for ${label.toLowerCase()}s?`,
      message: `New sign-ins of ${label.toLowerCase()}s follow the account policy again. Live sessions keep their current limits until they end.`,
      confirmLabel: 'Remove',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.invoke(rolePoliciesRemove, { role: row.role })),
      )
      .subscribe({
        next: (saved) => this.replace(saved),
        error: (error: unknown) => this.notifier.error(error),
      });
  }

  private replace(saved: RolePolicyDto): void {
    this.rows.update((rows) => (rows ?? []).map((r) => (r.role === saved.role ? saved : r)));
  }
}
