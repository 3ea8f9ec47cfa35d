import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { inject, provideAppInitializer, provideBrowserGlobalErrorListeners, type ApplicationConfig } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideApiConfiguration } from '@sessions/api-client';
import { appRoutes } from './app.routes';
import { authInterceptor } from './core/auth/auth.interceptor';
import { AuthSession } from './core/auth/auth-session';
import { stepUpInterceptor } from './core/step-up/step-up.interceptor';
import { provideAppIcons } from './core/ui/icons';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes, withComponentInputBinding()),
    // Step-up outside auth: its retry goes through the token handling again.
    provideHttpClient(withInterceptors([stepUpInterceptor, authInterceptor])),
    // Same origin: the document's paths already start with /api.
    provideApiConfiguration(''),
    provideAppIcons(),
    // Restore the session from the refresh cookie before the first navigation.
    provideAppInitializer(() => inject(AuthSession).restore()),
  ],
};
