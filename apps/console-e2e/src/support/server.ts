import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the suite's API process runs. Computed the same way in the runner and
 * in every worker (they re-read the config), so it must not depend on time.
 */
export const E2E_PORT = Number(process.env['E2E_PORT'] || 4317);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The embedded PostgreSQL's port (fixed, so tests can age a session's row: support/database.ts; far from the ports of other suites' servers and providers). */
export const E2E_DB_PORT = Number(process.env['E2E_DB_PORT'] || E2E_PORT + 10_000);
/** Its own data folder under /tmp (the `postgres` user must be able to reach it), wiped at start. */
export const DATA_DIR = process.env['E2E_DATA_DIR'] || join(tmpdir(), `sessions-e2e-${E2E_PORT}`);
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
export const SCREENSHOT_DIR = join(WORKSPACE_ROOT, 'dist/artifacts/screenshots');

/** The OpenID Connect provider of the suite (oauth2-mock-server, started by global-setup.ts) and the API's client at it. */
export const OIDC_PORT = Number(process.env['E2E_OIDC_PORT'] || E2E_PORT + 1);
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const OIDC_CLIENT_ID = 'sessions-e2e';
/** Who the mock provider says signs in: the demo engineer, with a verified email. */
export const OIDC_USER = { sub: 'e2e-demo-engineer', email: 'engineer@demo.test' };
