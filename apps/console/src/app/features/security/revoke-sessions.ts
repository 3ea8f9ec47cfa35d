import { ChangeDetectionStrategy, Component, DestroyRef, inject, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { Api, accountSecurityRevokeSessions, type RevokeScope } from '@sessions/api-client';
import { filter, finalize, switchMap } from 'rxjs';
import { AuthSession } from '../../core/auth/auth-session';
import { Notifier } from '../../core/ui/notifier';
import { openConfirm, type ConfirmDialogData } from '../../shared/confirm-dialog';

const CONFIRM: Record<RevokeScope, ConfirmDialogData> = {
  others: {
    title: 'Sign out everyone else?',
    message: 'Every session in your account ends except this one. Everyone else has to sign in again.',
    confirmLabel: 'Sign out everyone else',
    destructive: true,
  },
  all: {
    title: 'Sign out everyone?',
    message: 'Every session in your account ends, including yours. Use this when you suspect an account was compromised.',
    confirmLabel: 'Sign out everyone',
    destructive: true,
  },
};

function sessions(count: number): string {
  return `${count} ${count === 1 ? 'session' : 'sessions'}`;
}

/** Ends sessions account-wide: everyone else, or everyone including the owner. */
@Component({
  selector: 'app-revoke-sessions',
  imports: [MatButtonModule, MatCardModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header>
        <mat-card-title><h2>Sign out sessions</h2></mat-card-title>
        <mat-card-subtitle>End sessions across your whole account, for example after a lost laptop.</mat-card-subtitle>
      </mat-card-header>
      <mat-card-actions class="actions">
        <button matButton="outlined" (click)="revoke('others')" [disabled]="busy()">Sign out everyone else</button>
        <button matButton="filled" class="danger" (click)="revoke('all')" [disabled]="busy()">Sign out everyone</button>
      </mat-card-actions>
    </mat-card>
  `,
  styles: `
    .card {
      background: var(--mat-sys-surface);
      border-color: color-mix(in srgb, var(--mat-sys-error) 35%, var(--mat-sys-outline-variant));
    }
    h2 {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .actions {
      flex-wrap: wrap;
      gap: 12px;
      padding: 16px;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class RevokeSessions {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(AuthSession);
  private readonly destroyRef = inject(DestroyRef);

  /** Emitted after others were signed out, so the page can reload its lists. */
  readonly revoked = output<number>();
  protected readonly busy = signal(false);

  protected revoke(scope: RevokeScope): void {
    openConfirm(this.dialog, CONFIRM[scope] satisfies ConfirmDialogData)
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(true);
          return this.api.invoke(accountSecurityRevokeSessions, { body: { scope } }).pipe(finalize(() => this.busy.set(false)));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ revoked_count }) => {
          if (scope === 'all') {
            this.notifier.info(`Signed out ${sessions(revoked_count)}, including yours.`);
            void this.session.signOut('signed_out_everywhere');
            return;
          }
          this.notifier.info(revoked_count === 0 ? 'Nobody else was signed in.' : `Signed out ${sessions(revoked_count)}.`);
          this.revoked.emit(revoked_count);
        },
        error: (error: unknown) => this.notifier.error(error),
      });
  }
}
