import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { StepUpDialog, type StepUpDialogData } from './step-up-dialog';

/**
 * Asks the user to confirm their password, once for however many calls were refused
 * together: concurrent `reauthentication_required` answers share one dialog and its outcome.
 */
@Injectable({ providedIn: 'root' })
export class StepUp {
  private readonly dialog = inject(MatDialog);
  private pending: Promise<boolean> | null = null;

  /** True once the session is stepped up; false when the user cancelled. */
  confirm(maxAgeSeconds: number | null): Promise<boolean> {
    this.pending ??= firstValueFrom(
      this.dialog
        .open<StepUpDialog, StepUpDialogData, boolean>(StepUpDialog, {
          data: { maxAgeSeconds } satisfies StepUpDialogData,
          width: '420px',
          autoFocus: 'first-tabbable',
          restoreFocus: true,
        })
        .afterClosed(),
    )
      .then((confirmed) => confirmed === true)
      .finally(() => (this.pending = null));
    return this.pending;
  }
}
