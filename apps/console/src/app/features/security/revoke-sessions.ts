import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, output, signal } from '@angular/core';
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

/** How long the result of "everyone, including me" stays readable before this browser signs out. */
export const SIGN_OUT_PAUSE_MS = 1500;

const CONFIRM: Record<RevokeScope, ConfirmDialogData> = {
  others: {
    title: 'Sign out everyone except you?',
    message:
      'Everyone else in your account is signed out on every device and has to sign in again. You stay signed in on all your devices.',
    confirmLabel: 'Sign out everyone else',
    destructive: true,
  },
  all: {
    title: 'Sign out everyone, including you?',
    message:
      'Every session in your account ends, yours too on every device, and everyone has to sign in again. Use this when you suspect an account was compromised.',
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
        @if (othersSignedIn()) {
          <button matButton="outlined" (click)="revoke('others')" [disabled]="busy() || leaving()">Sign out everyone except me</button>
        }
        <button matButton="filled" class="danger" (click)="revoke('all')" [disabled]="busy() || leaving()">
          Sign out everyone, including me
        </button>
      </mat-card-actions>
    </mat-card>
  `,
  styleUrls: ['./security-card.scss'],
  styles: `
    .card {
      border-color: color-mix(in srgb, var(--mat-sys-error) 35%, var(--mat-sys-outline-variant));
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

  /** Whether anyone but the caller is signed in: otherwise "everyone except me" has nothing to do. */
  readonly othersSignedIn = input.required<boolean>();
  /** Emitted after others were signed out, so the page can reload its lists. */
  readonly revoked = output<number>();
  protected readonly busy = signal(false);
  /** Signed out everyone, this browser's sign-out is pending: nothing more to do here. */
  protected readonly leaving = signal(false);

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
            // This session is already over on the server; sign out here once the message could be read.
            this.leaving.set(true);
            void this.session.signOutSoon('signed_out_everywhere', SIGN_OUT_PAUSE_MS);
            return;
          }
          this.notifier.info(
            revoked_count === 0
              ? 'Nobody else was signed in.'
              : `Signed out ${sessions(revoked_count)} of other people. You're still signed in on all your devices.`,
          );
          this.revoked.emit(revoked_count);
        },
        error: (error: unknown) => this.notifier.error(error),
      });
  }
}
