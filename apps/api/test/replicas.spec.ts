import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findNginx, NGINX_MISSING, Replicas, startReplicas } from '../scripts/replicas';
import { freePort } from '../src/database/embedded-postgres';
import { createTestDatabase, TestDatabase } from './test-app';

/**
 * Issue 14: two real API processes (src/main.ts) on one PostgreSQL behind Debian's nginx
 * on loopback, started by the same code as `npm run start:replicas`. Each check talks to
 * a chosen replica directly (so "the other one" is certain) and the sign-in limit also
 * goes through nginx.
 */
const ROOT = join(__dirname, '..', '..', '..');
const nginx = findNginx();
if (!nginx) process.stderr.write(`replicas.spec.ts skipped: ${NGINX_MISSING}\n`);
const describeWithNginx = nginx ? describe : describe.skip;

interface Answer<T = any> {
  status: number;
  body: T;
}

async function call<T = any>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

/** Polls until `check` holds or the bound passes; returns whether it held. A bound, not a timing assertion. */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeWithNginx('two replicas behind nginx on one PostgreSQL', () => {
  let db: TestDatabase;
  let started: Replicas;
  let dataDir: string;
  let a: string;
  let b: string;
  let unique = 0;
  const output: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sessions-replicas-'));
    started = await startReplicas({
      count: 2,
      port: await freePort(),
      dataDir,
      command: [process.execPath, '-r', '@swc-node/register', join('apps', 'api', 'src', 'main.ts')],
      cwd: ROOT,
      output: (replica, chunk) => output.push(`[${replica}] ${chunk}`),
      env: {
        DATABASE_URL: db.apiUrl,
        DATABASE_MIGRATION_URL: db.ownerUrl,
        JWT_ACCESS_SECRET: 'a'.repeat(64),
        JWT_REFRESH_SECRET: 'b'.repeat(64),
        LOG_LEVEL: 'warn',
        ARGON2_MEMORY_KIB: '1024',
        ARGON2_ITERATIONS: '1',
        SEED_DEMO: 'false',
        REFRESH_REUSE_GRACE_SECONDS: '0',
        LOGIN_MAX_FAILURES_PER_PAIR: '4',
        SIGNUP_MAX_PER_ADDRESS: '1000',
        SESSION_SWEEP_INTERVAL_SECONDS: '0',
        SHUTDOWN_DRAIN_SECONDS: '2',
        // Generous bounds on two shared cores (as test-app.ts does): the production 1 s
        // connect bound made a replica's start fail on a busy machine (Debian's server, SCRAM).
        DATABASE_CONNECT_TIMEOUT_MS: '10000',
        DATABASE_QUERY_TIMEOUT_MS: '10000',
        DATABASE_STATEMENT_TIMEOUT_MS: '8000',
        SWC_NODE_PROJECT: join('apps', 'api', 'tsconfig.app.json'),
      },
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${output.join('').slice(-3000)}`);
    });
    [a, b] = started.replicas.map((r) => r.url);
  }, 180_000);

  afterAll(async () => {
    await started?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const signUp = async (base: string) => {
    const email = `replica-${process.pid}-${++unique}@example.test`;
    const password = 'owner-password-1';
    const response = await call(base, 'POST', '/api/auth/signup', { account_name: 'Replicated', name: 'Owner', email, password });
    expect(response.status).toBe(201);
    return { email, password, tokens: response.body as { access_token: string; refresh_token: string } };
  };

  it('serves the same API at one nginx URL', async () => {
    expect((await call(started.url, 'GET', '/api/health/ready')).status).toBe(200);
    const owner = await signUp(started.url);
    expect((await call(a, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status).toBe(200);
    expect((await call(b, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status).toBe(200);
  });

  it('a session ended through one replica has its access token refused by the other within 1 s', async () => {
    const owner = await signUp(a);
    expect((await call(b, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status).toBe(200);
    expect((await call(a, 'POST', '/api/auth/logout', { refresh_token: owner.tokens.refresh_token })).status).toBe(204);
    const refused = await within(
      1000,
      async () => (await call(b, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status === 401,
    );
    expect(refused).toBe(true);
  });

  it('an account-wide revoke on one replica reaches the other within 1 s as one rule: members out, the caller’s devices kept', async () => {
    const owner = await signUp(a);
    const email = `replica-member-${process.pid}-${++unique}@example.test`;
    const member = { name: 'Member', email, role: 'engineer', password: 'member-password-1' };
    expect((await call(a, 'POST', '/api/accounts/me/members', member, owner.tokens.access_token)).status).toBe(201);
    const signedIn = await call<{ access_token: string }>(b, 'POST', '/api/auth/login/json', { email, password: member.password });
    expect(signedIn.status).toBe(200);
    expect((await call(b, 'GET', '/api/auth/me', undefined, signedIn.body.access_token)).status).toBe(200);
    // The row as if last used minutes ago, and the revoke in a later second than the token's iat:
    // no id of this session is sent, so only the account rule can refuse its token on b.
    const writer = new Client({ connectionString: db.ownerUrl });
    await writer.connect();
    try {
      await writer.query(
        `UPDATE sessions SET last_used_at = last_used_at - interval '5 minutes'
          WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
        [email],
      );
    } finally {
      await writer.end();
    }
    const iat = JSON.parse(Buffer.from(signedIn.body.access_token.split('.')[1], 'base64url').toString()).iat as number;
    while (Math.floor(Date.now() / 1000) <= iat) await new Promise((r) => setTimeout(r, 50));

    const revoked = await call(a, 'POST', '/api/accounts/me/security/revoke-sessions', { scope: 'others' }, owner.tokens.access_token);
    expect(revoked.body).toEqual({ revoked_count: 1 });
    const refused = await within(
      1000,
      async () => (await call(b, 'GET', '/api/auth/me', undefined, signedIn.body.access_token)).status === 401,
    );
    expect(refused).toBe(true);
    expect((await call(b, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status).toBe(200);
  });

  it('a refresh token consumed on one replica cannot be used on the other', async () => {
    const owner = await signUp(a);
    const rotated = await call(a, 'POST', '/api/auth/refresh', { refresh_token: owner.tokens.refresh_token });
    expect(rotated.status).toBe(200);
    const replayed = await call(b, 'POST', '/api/auth/refresh', { refresh_token: owner.tokens.refresh_token });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ code: 'invalid_refresh_token' });
  });

  it('a policy change made on one replica is applied by the other at the next refresh', async () => {
    const owner = await signUp(a);
    const changed = await call(a, 'PATCH', '/api/accounts/me/security', { idle_minutes: 15 }, owner.tokens.access_token);
    expect(changed.status).toBe(200);
    const before = Date.now();
    const next = await call(b, 'POST', '/api/auth/refresh', { refresh_token: owner.tokens.refresh_token });
    expect(next.status).toBe(200);
    const idleLeft = (Date.parse(next.body.idle_expires_at) - before) / 60_000;
    expect(idleLeft).toBeGreaterThan(14);
    expect(idleLeft).toBeLessThanOrEqual(15.5);
  });

  it('the sign-in limit holds across replicas and through nginx', async () => {
    const owner = await signUp(a);
    const wrong = { email: owner.email, password: 'wrong-password' };
    const statuses: number[] = [];
    for (const base of [a, b, a, b]) statuses.push((await call(base, 'POST', '/api/auth/login/json', wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const right = { email: owner.email, password: owner.password };
    expect((await call(a, 'POST', '/api/auth/login/json', right)).status).toBe(429);
    expect((await call(b, 'POST', '/api/auth/login/json', right)).status).toBe(429);
    // Through nginx the client address is the same loopback one (X-Forwarded-For from nginx).
    expect((await call(started.url, 'POST', '/api/auth/login/json', right)).status).toBe(429);
  });

  it('the revocation cache catches up after its LISTEN connection drops (reconnect 2 s, then reload)', async () => {
    const owner = await signUp(a);
    expect((await call(b, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status).toBe(200);
    const admin = new Client({ connectionString: process.env['TEST_PG_ADMIN_URL'] });
    await admin.connect();
    try {
      const database = new URL(db.apiUrl).pathname.slice(1);
      const listeners = async () =>
        (
          await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sessions-api-listener'`,
            [database],
          )
        ).rows.map((row) => row.pid);
      const before = await listeners();
      expect(before).toHaveLength(2);
      // Drop every listener, then end the session while nobody listens: the NOTIFY is lost.
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
      expect((await call(a, 'POST', '/api/auth/logout', { refresh_token: owner.tokens.refresh_token })).status).toBe(204);
      // Bound: the 2 s reconnect delay + connect + the reload query (docs/scaling.md).
      const refused = await within(
        5000,
        async () => (await call(b, 'GET', '/api/auth/me', undefined, owner.tokens.access_token)).status === 401,
      );
      expect(refused).toBe(true);
      expect(await within(5000, async () => (await listeners()).length === 2)).toBe(true);
    } finally {
      await admin.end();
    }
  }, 20_000);
});
