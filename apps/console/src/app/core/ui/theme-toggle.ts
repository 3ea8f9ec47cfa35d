import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { ThemePreference } from './theme';

/**
 * The light/dark switch, put on the host's own icon button (`<button matIconButton appThemeToggle>`).
 * It brings no tooltip of its own: the shell adds `matTooltip` on the same button, while the
 * sign-in page stays without the tooltip's overlay code (about 15 KB of its first load; the
 * button's accessible name is its `aria-label` either way).
 */
@Component({
  selector: 'button[appThemeToggle]',
  exportAs: 'themeToggle',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { type: 'button', '[attr.aria-label]': 'label()', '(click)': 'theme.toggle()' },
  template: `<mat-icon [svgIcon]="theme.scheme() === 'dark' ? 'light_mode' : 'dark_mode'" />`,
})
export class ThemeToggle {
  protected readonly theme = inject(ThemePreference);
  readonly label = computed(() => (this.theme.scheme() === 'dark' ? 'Use light theme' : 'Use dark theme'));
}
