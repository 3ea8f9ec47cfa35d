import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedDatabase, LEGACY_SUPERUSER_PASSWORD, startEmbeddedDatabase } from '../src/database/embedded-database';
import { startEmbeddedPostgres, SupervisorEvent } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';

/** Tries a sign-in; the SQLSTATE when refused. */
async function signIn(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The embedded PostgreSQL of `npm start` (issue 8, findings 1 and 6), each test on its own
 * cluster in a temp folder, apart from the suite's shared server.
 */
describe('embedded PostgreSQL', () => {
  const folders: string[] = [];
  const servers: EmbeddedDatabase[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-embedded-'));
    // As root, PostgreSQL runs as 'postgres', who must reach the data folder.
    execFileSync('chmod', ['755', dir]);
    folders.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const server of servers) await server.server.stop().catch(() => undefined);
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  describe('a new data folder', () => {
    let dataDir: string;
    let db: EmbeddedDatabase;
    const events: SupervisorEvent[] = [];
    beforeAll(async () => {
      dataDir = folder();
      db = await startEmbeddedDatabase({ dataDir, database: 'sessions', onSupervisorEvent: (event) => events.push(event) });
      servers.push(db);
      await runMigrations(db.migrationUrl, { apiUrl: db.apiUrl });
    });

    it('has a generated superuser password, kept in a mode-600 file, and refuses the old fixed one', async () => {
      const file = join(dataDir, 'database-secrets.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(db.server.url('postgres')).not.toContain(`:${LEGACY_SUPERUSER_PASSWORD}@`);
      expect(await signIn(db.server.url('postgres', { user: 'postgres', password: LEGACY_SUPERUSER_PASSWORD }))).toBe('28P01');
      expect(await signIn(db.server.url('postgres'))).toBeNull();
    });

    it('migrates as the owner and serves the API as a role that is neither superuser nor owner', async () => {
      const [api] = await query(db.apiUrl, 'SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user');
      expect(api).toEqual({ name: 'sessions_api', rolsuper: false });
      const owners = await query<{ owner: string }>(
        db.migrationUrl,
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
      );
      expect(owners).toEqual([{ owner: 'sessions_owner' }]);
    });

    it('restarts PostgreSQL after kill -9 and says why (finding 6)', async () => {
      const pid = db.server.pid();
      expect(pid).toBeDefined();
      process.kill(pid as number, 'SIGKILL');
      // The supervisor reports the exit, then the restart; wait on its events, not the clock.
      for (let i = 0; i < 300 && !events.some((e) => e.event === 'postgres.restarted'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(events[0]).toMatchObject({ event: 'postgres.exited', signal: 'SIGKILL' });
      expect(events.at(-1)).toMatchObject({ event: 'postgres.restarted' });
      expect(db.server.pid()).not.toBe(pid);
      expect(await query(db.apiUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    });
  });

  it('keeps a data folder created with the old fixed password working, and replaces that password', async () => {
    const dataDir = folder();
    // What versions before issue 8 did: superuser postgres/postgres, migrated as superuser.
    const legacy = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), password: LEGACY_SUPERUSER_PASSWORD });
    try {
      const admin = new Client({ connectionString: legacy.url('postgres') });
      await admin.connect();
      await admin.query('CREATE DATABASE sessions');
      await admin.end();
      await runMigrations(legacy.url('sessions'));
      await query(legacy.url('sessions'), `INSERT INTO accounts (name) VALUES ('Before the upgrade')`);
    } finally {
      await legacy.stop();
    }

    let rotated = false;
    const db = await startEmbeddedDatabase({ dataDir, database: 'sessions', onPasswordRotated: () => (rotated = true) });
    servers.push(db);
    expect(rotated).toBe(true);
    await runMigrations(db.migrationUrl, { apiUrl: db.apiUrl });
    expect(await query(db.apiUrl, 'SELECT name FROM accounts')).toEqual([{ name: 'Before the upgrade' }]);
    expect(await signIn(db.server.url('postgres', { user: 'postgres', password: LEGACY_SUPERUSER_PASSWORD }))).toBe('28P01');
    const [audit] = await query<{ owner: string }>(
      db.migrationUrl,
      `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'audit_events'`,
    );
    expect(audit?.owner).toBe('sessions_owner');
  });
});
