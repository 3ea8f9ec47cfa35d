import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the suite's API process runs. Computed the same way in the runner and
 * in every worker (they re-read the config), so it must not depend on time.
 */
export const E2E_PORT = Number(process.env['E2E_PORT'] || 4317);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** Its own data folder under /tmp (the `postgres` user must be able to reach it), wiped at start. */
export const DATA_DIR = process.env['E2E_DATA_DIR'] || join(tmpdir(), `sessions-e2e-${E2E_PORT}`);
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
export const SCREENSHOT_DIR = join(WORKSPACE_ROOT, 'dist/artifacts/screenshots');
