import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

// The console runs without zone.js (Angular's default since v21): so do its tests.
setupZonelessTestEnv();
