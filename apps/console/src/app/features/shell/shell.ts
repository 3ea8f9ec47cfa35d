import { BreakpointObserver, Breakpoints } from '@angular/cdk/layout';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { Role } from '@sessions/api-client';
import { map } from 'rxjs';
import { AuthSession } from '../../core/auth/auth-session';
import { AuthState } from '../../core/auth/auth-state';
import { SessionExpiryService } from '../../core/expiry/session-expiry.service';
import { StepUpReturn } from '../../core/step-up/step-up-return';
import { ThemeToggle } from '../../core/ui/theme-toggle';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  /** Who is offered the page (the API decides what they may do there). */
  roles: readonly Role[];
}

const ALL: readonly Role[] = ['owner', 'admin', 'engineer'];

const NAV: readonly NavItem[] = [
  { path: '/devices', label: 'Devices', icon: 'devices', roles: ALL },
  { path: '/members', label: 'Members', icon: 'group', roles: ['owner', 'admin'] },
  { path: '/security', label: 'Session policy', icon: 'shield', roles: ['owner', 'admin'] },
  // The same page for engineers: only their own sign-in identities.
  { path: '/security', label: 'Sign-in', icon: 'shield', roles: ['engineer'] },
  { path: '/audit', label: 'Audit log', icon: 'history', roles: ['owner'] },
];

const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', engineer: 'Engineer' };

/** The signed-in frame: toolbar, navigation, and the session-expiry watch. */
@Component({
  selector: 'app-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatSidenavModule,
    MatToolbarModule,
    MatTooltipModule,
    ThemeToggle,
  ],
  providers: [SessionExpiryService],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  private readonly state = inject(AuthState);
  private readonly session = inject(AuthSession);
  private readonly sidenav = viewChild.required(MatSidenav);

  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe([Breakpoints.XSmall, Breakpoints.Small])
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly user = this.state.user;
  protected readonly roleLabel = computed(() => {
    const role = this.user()?.role;
    return role ? ROLE_LABELS[role] : '';
  });
  protected readonly initials = computed(() =>
    (this.user()?.name ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => word[0]?.toUpperCase())
      .join(''),
  );
  protected readonly nav = computed(() => {
    const role = this.user()?.role;
    return NAV.filter((item) => role !== undefined && item.roles.includes(role));
  });

  constructor() {
    // Instantiated here so expiry warnings run for as long as someone is signed in.
    inject(SessionExpiryService);
    // Back from a step-up at the identity provider (ADR 0020): say how it went.
    const stepUpReturn = inject(StepUpReturn);
    afterNextRender(() => stepUpReturn.announce());
  }

  protected closeIfHandset(): void {
    if (this.handset()) {
      void this.sidenav().close();
    }
  }

  /** The skip link moves focus too (not just the scroll), so the next Tab starts in the page. */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }

  protected signOut(): void {
    void this.session.signOut();
  }
}
