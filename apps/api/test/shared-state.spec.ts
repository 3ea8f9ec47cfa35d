import { Client } from 'pg';
import { SessionSweeper, SWEEP_LOCK_KEY } from '../src/sessions/session-sweeper.service';
import { login, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 14: no per-process state another replica needs. Two app instances on one
 * database stand for two replicas (the nginx test, replicas.spec.ts, runs real processes).
 */
const LIMITS = {
  LOGIN_MAX_FAILURES_PER_PAIR: '4',
  LOGIN_FAILURE_WINDOW_SECONDS: '600',
  // Opening connections for two apps at once on a loaded two-core CI machine can pass the 1 s
  // default; these tests are about the counters, not that bound (database-bounds.spec.ts is).
  DATABASE_CONNECT_TIMEOUT_MS: '5000',
  // The locked-table test relies on the production statement bound cancelling the upsert.
  DATABASE_QUERY_TIMEOUT_MS: '2000',
  DATABASE_STATEMENT_TIMEOUT_MS: '800',
};

async function ownerClient(t: TestApp): Promise<Client> {
  const client = new Client({ connectionString: t.ownerUrl });
  await client.connect();
  return client;
}

describe('rate-limit counters in PostgreSQL (RATE_LIMIT_STORE=postgres, the default)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp(LIMITS);
    b = await createTestApp(LIMITS, { database: { apiUrl: a.databaseUrl, ownerUrl: a.ownerUrl } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const signIn = (t: TestApp, email: string, password: string, ip: string) => t.post('/api/auth/login/json', { email, password }, { ip });

  it('holds a sign-in limit across replicas: failures on either count against the same pair', async () => {
    const owner = await signupOwner(a);
    const ip = '198.51.100.10';
    expect((await signIn(a, owner.email, 'wrong-password', ip)).status).toBe(401);
    expect((await signIn(b, owner.email, 'wrong-password', ip)).status).toBe(401);
    expect((await signIn(a, owner.email, 'wrong-password', ip)).status).toBe(401);
    expect((await signIn(b, owner.email, 'wrong-password', ip)).status).toBe(401);
    const refused = await signIn(a, owner.email, owner.password, ip);
    expect(refused.status).toBe(429);
    expect((await signIn(b, owner.email, owner.password, ip)).status).toBe(429);
    const [row] = await a.db.query(`SELECT points FROM rate_limits WHERE key = $1`, [`login_pair:${owner.email}|${ip}`]);
    expect(row.points).toBeGreaterThan(4);
  });

  it('holds under a burst split over two replicas: of 12 concurrent wrong guesses, 4 are checked', async () => {
    const owner = await signupOwner(a);
    const ip = '198.51.100.11';
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(i % 2 ? a : b, owner.email, 'wrong-password', ip)));
    // Codes too, so a 503 (database bound hit on a loaded machine) reads as what it is.
    expect(burst.map((r) => `${r.status} ${r.body.code}`).sort()).toEqual([
      ...Array<string>(4).fill('401 invalid_credentials'),
      ...Array<string>(8).fill('429 rate_limited'),
    ]);
  });

  it('fails closed in bounded time when the counters cannot be read (table locked), and recovers', async () => {
    const owner = await signupOwner(a);
    const locker = await ownerClient(a);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE rate_limits IN ACCESS EXCLUSIVE MODE');
      // statement_timeout (800 ms) cancels the waiting upsert: 503, never a hang, never an unlimited sign-in.
      const blocked = await signIn(a, owner.email, owner.password, '198.51.100.12');
      expect(blocked.status).toBe(503);
      expect(blocked.body).toMatchObject({ code: 'unavailable' });
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    expect((await signIn(a, owner.email, owner.password, '198.51.100.12')).status).toBe(200);
  });

  it('the memory store (RATE_LIMIT_STORE=memory) is per process: why it is for one replica only', async () => {
    const m1 = await createTestApp({ ...LIMITS, RATE_LIMIT_STORE: 'memory' });
    const m2 = await createTestApp(
      { ...LIMITS, RATE_LIMIT_STORE: 'memory' },
      { database: { apiUrl: m1.databaseUrl, ownerUrl: m1.ownerUrl } },
    );
    try {
      const owner = await signupOwner(m1);
      const ip = '198.51.100.13';
      for (let i = 0; i < 4; i++) expect((await signIn(m1, owner.email, 'wrong-password', ip)).status).toBe(401);
      expect((await signIn(m1, owner.email, owner.password, ip)).status).toBe(429);
      expect((await signIn(m2, owner.email, owner.password, ip)).status).toBe(200);
      const [{ count }] = await m1.db.query(`SELECT count(*)::int AS count FROM rate_limits`);
      expect(count).toBe(0);
    } finally {
      await m2.close();
      await m1.close();
    }
  });
});

describe('the sweeper runs on one replica at a time (advisory lock)', () => {
  let a: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
  });
  afterAll(() => a?.close());

  it('skips its turn while another replica holds the sweep, then sweeps sessions and expired counters', async () => {
    const owner = await signupOwner(a);
    await a.db.query('UPDATE accounts SET session_idle_minutes = 15, session_absolute_minutes = 60 WHERE id = $1', [owner.accountId]);
    await login(a, owner.email, owner.password);
    const now = a.clock.now().getTime();
    await a.db.query(`INSERT INTO rate_limits VALUES ('x:gone', 3, $1), ('x:kept', 3, $2)`, [now - 1000, now + 3_600_000]);
    a.clock.advance(16 * 60);
    const live = async () =>
      (await a.db.query('SELECT count(*)::int AS n FROM sessions WHERE account_id = $1 AND revoked_at IS NULL', [owner.accountId]))[0].n;
    const before = await live();
    expect(before).toBeGreaterThan(0);

    const other = await ownerClient(a);
    try {
      await other.query('SELECT pg_advisory_lock($1)', [SWEEP_LOCK_KEY]);
      expect(await a.app.get(SessionSweeper).sweep()).toBe(0);
      expect(await live()).toBe(before);
      await other.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK_KEY]);
    } finally {
      await other.end();
    }
    // The session signed in under the 15-minute policy (the sign-up's predates it).
    expect(await a.app.get(SessionSweeper).sweep()).toBe(1);
    expect(await live()).toBe(before - 1);
    const keys = (await a.db.query(`SELECT key FROM rate_limits WHERE key LIKE 'x:%' ORDER BY key`)).map((r: { key: string }) => r.key);
    expect(keys).toEqual(['x:kept']);
  });
});
