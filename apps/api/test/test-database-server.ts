import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../src/database/migrate';

export const TEMPLATE_DATABASE = 'sessions_template';

export async function startTestDatabaseServer(): Promise<void> {
  process.env['TZ'] = 'UTC';
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  await ensureDatabase(pg.url('postgres'), TEMPLATE_DATABASE);
  await runMigrations(pg.url(TEMPLATE_DATABASE));
  process.env['TEST_PG_ADMIN_URL'] = pg.url('postgres');
  process.env['TEST_PG_TEMPLATE'] = TEMPLATE_DATABASE;
  (globalThis as Record<string, unknown>)['__SESSIONS_PG__'] = pg;
}
