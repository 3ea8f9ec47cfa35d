import { Directive, computed, inject } from '@angular/core';
import { ThemePreference } from './theme';

/**
 * The light/dark switch, on the page's own icon button:
 * `<button matIconButton appThemeToggle #theme="themeToggle"><mat-icon [svgIcon]="theme.icon()" /></button>`.
 * A directive rather than a component with its own button, so the shell can put `matTooltip` on
 * that button while the sign-in page stays without the tooltip's overlay code (about 15 KB of its
 * first load); the button's accessible name is its `aria-label` either way.
 */
@Directive({
  selector: 'button[appThemeToggle]',
  exportAs: 'themeToggle',
  host: { type: 'button', '[attr.aria-label]': 'label()', '(click)': 'theme.toggle()' },
})
export class ThemeToggle {
  protected readonly theme = inject(ThemePreference);
  readonly label = computed(() => (this.theme.scheme() === 'dark' ? 'Use light theme' : 'Use dark theme'));
  /** The scheme a click switches to. */
  readonly icon = computed(() => (this.theme.scheme() === 'dark' ? 'light_mode' : 'dark_mode'));
}
