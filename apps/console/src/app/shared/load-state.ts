import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

/** The loading spinner or the "couldn't load" message of a page section. */
@Component({
  selector: 'app-load-state',
  imports: [MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error()) {
      <div class="state" role="alert">
        <mat-icon svgIcon="warning" class="error-icon" />
        <p>{{ error() }}</p>
        <button matButton="outlined" (click)="retry.emit()"><mat-icon svgIcon="refresh" />Try again</button>
      </div>
    } @else {
      <div class="state" role="status">
        <mat-spinner diameter="36" />
        <p>{{ label() }}</p>
      </div>
    }
  `,
  styles: `
    .state {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 12px;
      padding: 48px 16px;
      text-align: center;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-medium);
    }
    p {
      margin: 0;
    }
    .error-icon {
      color: var(--mat-sys-error);
    }
  `,
})
export class LoadState {
  readonly label = input('Loading…');
  /** A message when loading failed; otherwise a spinner is shown. */
  readonly error = input<string | null>(null);
  readonly retry = output<void>();
}
