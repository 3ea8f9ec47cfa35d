import type { Route } from '@angular/router';
import { ownerGuard, signedInGuard, signedOutGuard } from './core/auth/auth.guards';

export const appRoutes: Route[] = [
  {
    path: 'login',
    title: 'Sign in · Sessions',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login-page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    loadComponent: () => import('./features/shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'devices' },
      {
        path: 'devices',
        title: 'Devices · Sessions',
        loadComponent: () => import('./features/devices/devices-page').then((m) => m.DevicesPage),
      },
      {
        // Owners: the session policy and sign-in methods; admins: the limits per role; everyone: their own identities.
        path: 'security',
        title: 'Security · Sessions',
        loadComponent: () => import('./features/security/security-page').then((m) => m.SecurityPage),
      },
      {
        // Owners manage, admins read; engineers get the API's 403 (the menu doesn't offer it).
        path: 'members',
        title: 'Members · Sessions',
        loadComponent: () => import('./features/members/members-page').then((m) => m.MembersPage),
      },
      {
        path: 'audit',
        title: 'Audit log · Sessions',
        canActivate: [ownerGuard],
        loadComponent: () => import('./features/audit/audit-page').then((m) => m.AuditPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
