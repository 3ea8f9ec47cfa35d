import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, NGINX_MISSING, Replica, Replicas, startReplicas } from '../scripts/replicas';
import { freePort } from '../src/database/embedded-postgres';
import { createTestDatabase, TestDatabase } from './test-app';

/**
 * Issue 14: a rolling restart of two replicas behind nginx under steady load loses no
 * request — guarded reads (GET /api/auth/me) and refresh rotations (POST /api/auth/refresh,
 * not idempotent) alike. Each replica in turn gets SIGTERM and is replaced by a fresh
 * process, the way Kubernetes does it: readiness turns red while the replica still serves
 * (SHUTDOWN_DELAY_SECONDS), the "endpoints controller" (this test) sees it and takes the
 * replica out of nginx (reload), and only then does the replica stop listening and drain.
 * The migration step runs first as `main.ts migrate`; the replicas start with
 * MIGRATE_ON_START=false. Bounded: the load stops when the second replacement is routed.
 * A second case stops a replica nginx still routes to: reads are retried (passive checks).
 */
const ROOT = join(__dirname, '..', '..', '..');
const nginx = findNginx();
if (!nginx) process.stderr.write(`rolling-restart.spec.ts skipped: ${NGINX_MISSING}\n`);
const describeWithNginx = nginx ? describe : describe.skip;

const SWC = [process.execPath, '-r', '@swc-node/register', join('apps', 'api', 'src', 'main.ts')];

interface Answer {
  status: number;
  body: string;
}

/** One request on its own connection (no client keep-alive: the client side of nginx is not under test). */
function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['authorization'] = `Bearer ${token}`;
    const req = request(`${base}${path}`, { method, headers, agent: false, timeout: 20_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

async function until(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithNginx('rolling restart of two replicas behind nginx under load', () => {
  let db: TestDatabase;
  let started: Replicas | undefined;
  let dataDir: string;
  const output: string[] = [];
  /** The replicas nginx routes to (the first test leaves the two replacements). */
  const routed: Replica[] = [];
  const env = (database: TestDatabase): Record<string, string> => ({
    DATABASE_URL: database.apiUrl,
    DATABASE_MIGRATION_URL: database.ownerUrl,
    MIGRATE_ON_START: 'false',
    JWT_ACCESS_SECRET: 'a'.repeat(64),
    JWT_REFRESH_SECRET: 'b'.repeat(64),
    LOG_LEVEL: 'warn',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    SEED_DEMO: 'false',
    SIGNUP_MAX_PER_ADDRESS: '1000',
    REFRESH_MAX_PER_ADDRESS: '100000000',
    SESSION_SWEEP_INTERVAL_SECONDS: '0',
    // Readiness red, still serving: the window in which the controller below takes the
    // replica out of nginx (Kubernetes: the preStop sleep while endpoints are removed).
    // Generous, because a reload waits for the old workers' requests on a busy machine.
    SHUTDOWN_DELAY_SECONDS: '10',
    SHUTDOWN_DRAIN_SECONDS: '10',
    // Generous bounds on two shared cores (as test-app.ts does): a slow answer is not a lost one.
    DATABASE_CONNECT_TIMEOUT_MS: '10000',
    DATABASE_QUERY_TIMEOUT_MS: '10000',
    DATABASE_STATEMENT_TIMEOUT_MS: '10000',
    SWC_NODE_PROJECT: join('apps', 'api', 'tsconfig.app.json'),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    // The migration step alone (what the Kubernetes Job runs): applies nothing on a migrated
    // clone, re-grants the API role, exits 0.
    // As the image runs it: REQUIRE_EXPLICIT_CONFIG, and no token secrets (not the Job's business).
    const migrateEnv = Object.fromEntries(Object.entries(env(db)).filter(([name]) => !name.startsWith('JWT_')));
    const migrate = spawn(SWC[0], [...SWC.slice(1), 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, ...migrateEnv, REQUIRE_EXPLICIT_CONFIG: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let migrateOutput = '';
    migrate.stdout.on('data', (chunk: Buffer) => (migrateOutput += chunk.toString()));
    migrate.stderr.on('data', (chunk: Buffer) => (migrateOutput += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => migrate.once('exit', resolve));
    if (code !== 0) throw new Error(`main.ts migrate exited ${code}:\n${migrateOutput}`);

    dataDir = mkdtempSync(join(tmpdir(), 'sessions-rolling-'));
    started = await startReplicas({
      count: 2,
      port: await freePort(),
      dataDir,
      command: SWC,
      cwd: ROOT,
      output: (replica, chunk) => output.push(`[${replica}] ${chunk}`),
      env: env(db),
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${output.join('').slice(-3000)}`);
    });
  }, 240_000);

  afterAll(async () => {
    await started?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it('loses no read and no refresh while each replica is drained and replaced; readiness red first, liveness unaffected', async () => {
    const cluster = started!;
    const base = cluster.url;
    const failures: string[] = [];
    let done = 0;
    let stopLoad = false;

    // A few users, each with its own chain of refresh tokens (rotation is sequential per chain).
    const workers = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const signup = await call(base, 'POST', '/api/auth/signup', {
          account_name: `Rolling ${n}`,
          name: 'Owner',
          email: `rolling-${process.pid}-${n}@example.test`,
          password: 'owner-password-1',
        });
        expect(signup.status).toBe(201);
        return JSON.parse(signup.body) as { access_token: string; refresh_token: string };
      }),
    );
    const load = workers.map(async (tokens, n) => {
      let i = 0;
      while (!stopLoad) {
        const refresh = i++ % 3 === 2;
        const what = refresh ? 'POST /api/auth/refresh' : 'GET /api/auth/me';
        try {
          const answer = refresh
            ? await call(base, 'POST', '/api/auth/refresh', { refresh_token: tokens.refresh_token })
            : await call(base, 'GET', '/api/auth/me', undefined, tokens.access_token);
          if (answer.status !== 200) failures.push(`worker ${n}: ${what} → ${answer.status} ${answer.body.slice(0, 200)}`);
          else if (refresh) Object.assign(tokens, JSON.parse(answer.body));
        } catch (error) {
          failures.push(`worker ${n}: ${what} → ${(error as Error).message}`);
        }
        done++;
        // A chain broken by a failure cannot go on: the failure is already recorded.
        if (failures.length > 20) return;
      }
    });

    routed.push(...cluster.replicas);
    const readiness: Record<string, number[]> = {};
    const restart = async (old: Replica) => {
      const before = done;
      old.process.kill('SIGTERM');
      // Readiness red while the replica still serves: the signal a controller acts on.
      expect(await until(8000, async () => (await call(old.url, 'GET', '/api/health/ready')).status === 503)).toBe(true);
      readiness[`replica ${old.index}`] = [(await call(old.url, 'GET', '/api/health/live')).status];
      routed.splice(routed.indexOf(old), 1);
      await cluster.route(routed);
      // Out of nginx before it stopped listening: what the delay is for.
      expect(old.process.exitCode).toBeNull();
      expect((await call(old.url, 'GET', '/api/health/live')).status).toBe(200);
      const code = await new Promise<number | null>((resolve) =>
        old.process.exitCode !== null ? resolve(old.process.exitCode) : old.process.once('exit', resolve),
      );
      expect(code).toBe(0);
      const fresh = await cluster.add();
      routed.push(fresh);
      await cluster.route(routed);
      // The load went on throughout (a bound on progress, not a timing).
      expect(done).toBeGreaterThan(before);
      return fresh;
    };

    try {
      await until(60_000, async () => done >= 20);
      const [a, b] = cluster.replicas;
      const a2 = await restart(a);
      await restart(b);
      // The replacements serve, and the other replica's liveness was never touched.
      expect((await call(a2.url, 'GET', '/api/health/live')).status).toBe(200);
      const settled = done;
      await until(30_000, async () => done >= settled + 20);
    } finally {
      stopLoad = true;
      await Promise.all(load);
    }
    // Liveness stayed green on each draining replica while readiness was red.
    expect(readiness).toEqual({ 'replica 1': [200], 'replica 2': [200] });
    expect(failures).toEqual([]);
    expect(done).toBeGreaterThan(40);
  }, 300_000);

  it('nginx retries reads on a replica that stops listening while still routed (no controller: passive checks only)', async () => {
    const cluster = started!;
    const signup = await call(cluster.url, 'POST', '/api/auth/signup', {
      account_name: 'Unannounced',
      name: 'Owner',
      email: `unannounced-${process.pid}@example.test`,
      password: 'owner-password-1',
    });
    expect(signup.status).toBe(201);
    const token = (JSON.parse(signup.body) as { access_token: string }).access_token;
    const failures: string[] = [];
    let done = 0;
    let stopLoad = false;
    const load = [1, 2, 3, 4].map(async () => {
      while (!stopLoad) {
        try {
          const answer = await call(cluster.url, 'GET', '/api/auth/me', undefined, token);
          if (answer.status !== 200) failures.push(`GET /api/auth/me → ${answer.status}`);
        } catch (error) {
          failures.push(`GET /api/auth/me → ${(error as Error).message}`);
        }
        done++;
      }
    });
    try {
      const victim = routed[0];
      victim.process.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) =>
        victim.process.exitCode !== null ? resolve(victim.process.exitCode) : victim.process.once('exit', resolve),
      );
      expect(code).toBe(0);
      // nginx still lists the stopped replica: connections are refused and go to the other.
      const after = done;
      await until(30_000, async () => done >= after + 20);
    } finally {
      stopLoad = true;
      await Promise.all(load);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
