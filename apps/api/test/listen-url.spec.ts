import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { SESSION_REVOKED_CHANNEL, SessionRevocations } from '../src/sessions/session-revocations.service';
import { createTestApp, createTestDatabase, TestApp } from './test-app';

/**
 * Issue 14: behind PgBouncer in transaction mode LISTEN cannot work through DATABASE_URL,
 * so DATABASE_LISTEN_URL gives the revocation listener its own (direct) connection. Here it
 * is the owner role's URL — a different role — so the test can see which URL was used.
 */
describe('DATABASE_LISTEN_URL', () => {
  let api: TestApp;
  let admin: Client;

  beforeAll(async () => {
    const database = await createTestDatabase();
    api = await createTestApp({ DATABASE_URL: database.apiUrl, DATABASE_LISTEN_URL: database.ownerUrl }, { database });
    admin = new Client({ connectionString: process.env['TEST_PG_ADMIN_URL'] });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await api?.close();
  });

  it('the listener connects with it, the pool with DATABASE_URL, and notifications arrive', async () => {
    const database = new URL(api.databaseUrl).pathname.slice(1);
    const { rows } = await admin.query<{ application_name: string; usename: string }>(
      `SELECT application_name, usename FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'sessions-api%'`,
      [database],
    );
    expect(rows.filter((r) => r.application_name === 'sessions-api-listener').map((r) => r.usename)).toEqual(['sessions_owner']);
    expect(new Set(rows.filter((r) => r.application_name === 'sessions-api').map((r) => r.usename))).toEqual(new Set(['sessions_api']));

    const sessionId = randomUUID();
    const owner = new Client({ connectionString: api.ownerUrl });
    await owner.connect();
    try {
      await owner.query('SELECT pg_notify($1, $2)', [SESSION_REVOKED_CHANNEL, sessionId]);
    } finally {
      await owner.end();
    }
    const revocations = api.app.get(SessionRevocations);
    const deadline = Date.now() + 5000;
    while (!revocations.isRevoked(sessionId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(revocations.isRevoked(sessionId)).toBe(true);
  });
});
