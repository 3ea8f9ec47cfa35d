import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { API_ROLE, OWNER_ROLE, prepareEmbeddedRoles } from '../src/database/roles';

export const TEMPLATE_DATABASE = 'sessions_template';

/**
 * One PostgreSQL for the run, set up like the embedded production one: the template is
 * owned and migrated by the owner role, and the API under test connects as the
 * least-privileged API role (test-app.ts), so every integration test proves the
 * grants (database/roles.ts) are enough.
 */
export async function startTestDatabaseServer(): Promise<void> {
  process.env['TZ'] = 'UTC';
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  const passwords = { owner: randomBytes(24).toString('base64url'), api: randomBytes(24).toString('base64url') };
  await prepareEmbeddedRoles(pg.url('postgres'), TEMPLATE_DATABASE, passwords);
  await runMigrations(pg.url(TEMPLATE_DATABASE, { user: OWNER_ROLE, password: passwords.owner }), {
    apiUrl: pg.url(TEMPLATE_DATABASE, { user: API_ROLE, password: passwords.api }),
  });
  process.env['TEST_PG_ADMIN_URL'] = pg.url('postgres');
  process.env['TEST_PG_TEMPLATE'] = TEMPLATE_DATABASE;
  process.env['TEST_PG_OWNER_PASSWORD'] = passwords.owner;
  process.env['TEST_PG_API_PASSWORD'] = passwords.api;
  (globalThis as Record<string, unknown>)['__SESSIONS_PG__'] = pg;
}
