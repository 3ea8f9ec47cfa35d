import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { applyScheme, storedScheme } from './app/core/ui/theme';

applyScheme(storedScheme());

bootstrapApplication(App, appConfig).catch((error: unknown) => {
  // Never leave a blank page: say what happened where the app would have been.
  console.error(error);
  const root = document.querySelector('app-root');
  if (root) {
    root.textContent = 'The console could not start. Reload the page to try again.';
  }
});
