import { ChangeDetectionStrategy, Component, inject, type Signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_SNACK_BAR_DATA, MatSnackBarAction, MatSnackBarActions, MatSnackBarLabel } from '@angular/material/snack-bar';

/** What an expiry notice says and offers. */
export interface ExpiryToastData {
  /** A signal, so the countdown updates in place instead of reopening the notice. */
  message: Signal<string>;
  action: string;
  onAction: () => void;
  /** Closes the notice for this deadline without doing anything else. */
  onDismiss: () => void;
}

/**
 * The "your session is about to end" notice: one action that helps (stay
 * signed in, or sign in now) and a way to just close it.
 */
@Component({
  selector: 'app-expiry-toast',
  imports: [MatButtonModule, MatSnackBarAction, MatSnackBarActions, MatSnackBarLabel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div matSnackBarLabel>{{ data.message() }}</div>
    <div matSnackBarActions>
      <button matButton matSnackBarAction (click)="data.onDismiss()">Dismiss</button>
      <button matButton matSnackBarAction (click)="data.onAction()">{{ data.action }}</button>
    </div>
  `,
})
export class ExpiryToast {
  protected readonly data = inject<ExpiryToastData>(MAT_SNACK_BAR_DATA);
}
