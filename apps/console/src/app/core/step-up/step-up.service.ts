import { Injectable, Injector, inject } from '@angular/core';

/**
 * Asks the user to confirm their password, once for however many calls were refused
 * together: concurrent `reauthentication_required` answers share one dialog and its outcome.
 * The dialog is loaded on first use (`step-up-prompt.ts`), not with the app.
 */
@Injectable({ providedIn: 'root' })
export class StepUp {
  private readonly injector = inject(Injector);
  private pending: Promise<boolean> | null = null;

  /** True once the session is stepped up; false when the user cancelled. */
  confirm(maxAgeSeconds: number | null): Promise<boolean> {
    this.pending ??= import('./step-up-prompt')
      .then(({ openStepUpDialog }) => openStepUpDialog(this.injector, maxAgeSeconds))
      .then((confirmed) => confirmed === true)
      .finally(() => (this.pending = null));
    return this.pending;
  }
}
