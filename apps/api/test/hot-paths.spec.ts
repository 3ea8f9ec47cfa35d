import { randomBytes } from 'node:crypto';
import { isDatabaseUnavailable } from '../src/common/problem.filter';
import { prepared, PreparedQueries } from '../src/database/prepared';
import { urlUser } from '../src/database/roles';
import { ROTATE_SQL } from '../src/sessions/sessions.repository';
import { refresh, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 11: the hot-path statements are named prepared statements on the API's own
 * (bounded, least-privileged) pool, and PostgreSQL reuses their plans.
 */
describe('hot-path statements are prepared (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DATABASE_QUERY_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '800' });
  });
  afterAll(() => t.close());

  const plansOf = async (queries: PreparedQueries, work: (client: Awaited<ReturnType<PreparedQueries['connect']>>) => Promise<void>) => {
    const client = await queries.connect();
    try {
      await work(client);
      // pg_prepared_statements is per connection: read it on the one that ran the statements.
      const { rows } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
        'SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name',
      );
      return Object.fromEntries(rows.map((r) => [r.name, { generic: Number(r.generic_plans), custom: Number(r.custom_plans) }]));
    } finally {
      client.release();
    }
  };

  it('the rotation is planned a handful of times, then runs on the cached generic plan', async () => {
    const queries = t.app.get(PreparedQueries);
    const plans = await plansOf(queries, async (client) => {
      for (let i = 0; i < 20; i++) {
        const values = [randomBytes(32), randomBytes(32), new Date(), false, 1800, 86400, 'ua', '127.0.0.1'] as const;
        await queries.on(client, ROTATE_SQL, [...values]);
      }
    });
    // PostgreSQL plans the first five executions with their parameters, then compares; every later
    // execution reuses the cached generic plan (no planning).
    expect(plans['sessions_rotate']).toEqual({ custom: 5, generic: 15 });
  });

  it('the guarded read and the device list reuse their plans too, through HTTP', async () => {
    const owner = await signupOwner(t);
    for (let i = 0; i < 12; i++) {
      expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(200);
      expect((await t.get('/api/me/sessions', { token: owner.tokens.access_token })).status).toBe(200);
    }
    // Plans live per connection: hold every pooled connection at once and add up what each has cached.
    const queries = t.app.get(PreparedQueries);
    const pool = (t.db.driver as unknown as { master: { totalCount: number } }).master;
    const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => queries.connect()));
    const generic: Record<string, number> = {};
    try {
      for (const client of clients) {
        const { rows } = await client.query<{ name: string; generic_plans: string }>(
          'SELECT name, generic_plans FROM pg_prepared_statements',
        );
        for (const row of rows) generic[row.name] = (generic[row.name] ?? 0) + Number(row.generic_plans);
      }
    } finally {
      for (const client of clients) client.release();
    }
    expect(generic['users_profile']).toBeGreaterThan(0);
    expect(generic['sessions_devices_page']).toBeGreaterThan(0);
  });

  it('keeps the request bounds: a prepared statement that runs too long is cancelled and answered as unavailable', async () => {
    const queries = t.app.get(PreparedQueries);
    const sleep = prepared<[number], { slept: string }>('test_sleep', 'SELECT pg_sleep($1)::text AS slept');
    const error = await queries.rows(sleep, [5]).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The pool is still usable, and refreshes still rotate.
    const owner = await signupOwner(t);
    expect((await refresh(t, owner.tokens.refresh_token)).status).toBe(200);
  });

  it('runs as the least-privileged API role', async () => {
    const queries = t.app.get(PreparedQueries);
    const who = prepared<[], { role: string }>('test_whoami', 'SELECT current_user::text AS role');
    expect(await queries.rows(who, [])).toEqual([{ role: urlUser(t.databaseUrl) }]);
  });
});
