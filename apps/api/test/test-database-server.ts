import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { API_ROLE, OWNER_ROLE, prepareEmbeddedRoles } from '../src/database/roles';

/**
 * One PostgreSQL for the run, set up like the embedded production one: the template is
 * owned and migrated by the owner role, and the API under test connects as the
 * least-privileged API role (test-app.ts), so every integration test proves the
 * grants (database/roles.ts) are enough.
 *
 * TEST_DATABASE_URL (a superuser URL of a *disposable* server, e.g. Debian's PostgreSQL
 * started by `npm run test:external-pg`) runs the suite against that server instead of
 * the embedded one (issue 14): the same roles are created on it (passwords reset), and a
 * template of this run's own name is migrated there.
 */
export async function startTestDatabaseServer(): Promise<void> {
  process.env['TZ'] = 'UTC';
  const external = process.env['TEST_DATABASE_URL'];
  let adminUrl: string;
  let template: string;
  let url: (database: string, role: { user: string; password: string }) => string;
  if (external) {
    adminUrl = external;
    template = `sessions_template_${process.pid}`;
    url = (database, role) => {
      const u = new URL(external);
      u.username = role.user;
      u.password = role.password;
      u.pathname = `/${database}`;
      return u.toString();
    };
    (globalThis as Record<string, unknown>)['__SESSIONS_PG_TEMPLATE__'] = { adminUrl, template };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'sessions-test-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = pg.url('postgres');
    template = 'sessions_template';
    url = (database, role) => pg.url(database, role);
    (globalThis as Record<string, unknown>)['__SESSIONS_PG__'] = pg;
  }
  const passwords = { owner: randomBytes(24).toString('base64url'), api: randomBytes(24).toString('base64url') };
  await prepareEmbeddedRoles(adminUrl, template, passwords);
  await runMigrations(url(template, { user: OWNER_ROLE, password: passwords.owner }), {
    apiUrl: url(template, { user: API_ROLE, password: passwords.api }),
  });
  process.env['TEST_PG_ADMIN_URL'] = adminUrl;
  process.env['TEST_PG_TEMPLATE'] = template;
  process.env['TEST_PG_OWNER_PASSWORD'] = passwords.owner;
  process.env['TEST_PG_API_PASSWORD'] = passwords.api;
}

/** External server only: drops this run's template (test databases are left to the disposable server). */
export async function dropExternalTemplate(): Promise<void> {
  const state = (globalThis as Record<string, unknown>)['__SESSIONS_PG_TEMPLATE__'] as { adminUrl: string; template: string } | undefined;
  if (!state) return;
  const client = new Client({ connectionString: state.adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${state.template}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
