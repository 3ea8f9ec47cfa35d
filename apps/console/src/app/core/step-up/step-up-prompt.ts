import type { Injector } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { StepUpDialog, type StepUpDialogData } from './step-up-dialog';

/**
 * Opens the password dialog and resolves with its outcome. Its own chunk, loaded on the
 * first `reauthentication_required`: the dialog, its form and Material's overlay stay out
 * of the sign-in page's initial JavaScript (issue 12's 150 KB budget).
 */
export function openStepUpDialog(injector: Injector, maxAgeSeconds: number | null): Promise<boolean | undefined> {
  return firstValueFrom(
    injector
      .get(MatDialog)
      .open<StepUpDialog, StepUpDialogData, boolean>(StepUpDialog, {
        data: { maxAgeSeconds } satisfies StepUpDialogData,
        width: '420px',
        autoFocus: 'first-tabbable',
        restoreFocus: true,
      })
      .afterClosed(),
  );
}
