import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ThemePreference } from './theme';

/** The light/dark switch in the toolbar and on the sign-in page. */
@Component({
  selector: 'app-theme-toggle',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button matIconButton type="button" (click)="theme.toggle()" [attr.aria-label]="label()" [matTooltip]="label()">
      <mat-icon [svgIcon]="theme.scheme() === 'dark' ? 'light_mode' : 'dark_mode'" />
    </button>
  `,
})
export class ThemeToggle {
  protected readonly theme = inject(ThemePreference);
  protected readonly label = computed(() => (this.theme.scheme() === 'dark' ? 'Use light theme' : 'Use dark theme'));
}
