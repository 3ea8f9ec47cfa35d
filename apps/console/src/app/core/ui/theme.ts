import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';

export type Scheme = 'light' | 'dark';
const KEY = 'sessions.theme';

/** The scheme the user picked, or null to follow the system. Safe where storage is off. */
export function storedScheme(): Scheme | null {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Puts the choice on <html data-theme>: the theme's `color-scheme` follows it, and without it
 * `color-scheme: light dark` follows the system (styles/theme.scss). main.ts calls this before
 * Angular starts so a dark-mode user never sees a white flash.
 */
export function applyScheme(scheme: Scheme | null): void {
  if (scheme) document.documentElement.dataset['theme'] = scheme;
  else delete document.documentElement.dataset['theme'];
}

/**
 * Light or dark: the system's setting (`prefers-color-scheme`) until the user picks one with the
 * toggle; the pick is kept in localStorage. Picking what the system says anyway goes back to
 * following the system, so a later change of the system setting is followed again.
 */
@Injectable({ providedIn: 'root' })
export class ThemePreference {
  private readonly query = matchMedia('(prefers-color-scheme: dark)');
  private readonly system = signal<Scheme>(this.query.matches ? 'dark' : 'light');
  private readonly chosen = signal<Scheme | null>(storedScheme());

  /** What the console shows now. */
  readonly scheme = computed(() => this.chosen() ?? this.system());

  constructor() {
    const follow = (event: MediaQueryListEvent) => this.system.set(event.matches ? 'dark' : 'light');
    this.query.addEventListener('change', follow);
    inject(DestroyRef).onDestroy(() => this.query.removeEventListener('change', follow));
  }

  toggle(): void {
    const next: Scheme = this.scheme() === 'dark' ? 'light' : 'dark';
    const choice = next === this.system() ? null : next;
    this.chosen.set(choice);
    applyScheme(choice);
    try {
      if (choice) localStorage.setItem(KEY, choice);
      else localStorage.removeItem(KEY);
    } catch {
      // Not persisted; this page still switches.
    }
  }
}
