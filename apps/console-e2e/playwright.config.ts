import { defineConfig, devices } from '@playwright/test';
import { join } from 'node:path';
import { BASE_URL, DATA_DIR, E2E_DB_PORT, E2E_PORT, OIDC_CLIENT_ID, OIDC_ISSUER, WORKSPACE_ROOT } from './src/support/server';

/**
 * Browser tests of the console against the built API (`node dist/apps/api/main.js`),
 * which serves the built console at `/`. One server for the suite, on its own
 * port and data folder, with an embedded PostgreSQL and the demo account.
 * Debian's Chromium only: no browser is ever downloaded.
 */
export default defineConfig({
  testDir: './src',
  // A real OpenID Connect provider on loopback for "Sign in with …" (oauth2-mock-server).
  globalSetup: require.resolve('./src/support/global-setup'),
  outputDir: join(WORKSPACE_ROOT, 'dist/artifacts/playwright'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: 'list',
  // Two cores build, serve, run PostgreSQL and drive Chromium at once: generous bounds, so a
  // busy machine is not mistaken for a failure (nothing here measures speed).
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: `rm -rf '${DATA_DIR}' && node dist/apps/api/main.js`,
    cwd: WORKSPACE_ROOT,
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      PORT: String(E2E_PORT),
      // A known port, so step-up tests can age a session's authentication in its row.
      EMBEDDED_PG_PORT: String(E2E_DB_PORT),
      DATA_DIR,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      // Every test comes from 127.0.0.1 and many sign up; the per-address limits are for real
      // traffic, not one test run (docs/limits.md).
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
      LOGIN_EMAIL_FREE_FAILURES: '1000',
      SIGNUP_MAX_PER_ADDRESS: '1000',
      REFRESH_MAX_PER_ADDRESS: '100000',
      // The audit spec signs one user in 57 times to page past 50 events; the device cap
      // (and its session_limit events) is tested by the API suite.
      SESSION_MAX_PER_USER: '1000',
      PUBLIC_URL: BASE_URL,
      OIDC_PROVIDERS: 'mock',
      OIDC_MOCK_ISSUER: OIDC_ISSUER,
      OIDC_MOCK_CLIENT_ID: OIDC_CLIENT_ID,
      OIDC_MOCK_CLIENT_SECRET: 'e2e-mock-client-secret',
      OIDC_MOCK_DISPLAY_NAME: 'Mock IdP',
      // The mock speaks plain http on loopback; allowed only because this says so.
      OIDC_ALLOW_INSECURE_LOOPBACK: 'true',
    },
  },
});
