import { request } from 'node:http';
import type { Pool } from 'pg';
import { AuditEventsRepository } from '../../../apps/api/src/audit/audit-events.repository';
import { AUDIT_PAGE_DEFAULT } from '../../../apps/api/src/audit/dto/audit-event.dto';
import type { RuntimeConfig } from '../../../apps/api/src/config/runtime-config';
import { DEVICE_PAGE_MAX } from '../../../apps/api/src/devices/dto/list-sessions.dto';
import { SessionsRepository } from '../../../apps/api/src/sessions/sessions.repository';
import type { Argon2Run } from './argon2-worker';
import type { MintArgs } from './api-server';
import { log, type Cleanup } from './cleanup';
import type { CpuMeter, CpuReading } from './cpu';
import { ChildServer } from './ipc';
import { runHttpLoad, type ClientScript } from './load';
import type { Once, Plan, Point } from './model';
import type { BenchOptions, Section } from './options';
import { chainStart, runPgbench } from './pgbench';
import { addSessions, REAL_CLIENTS, seedSessions, type BenchSession, type SeedClient, type SeedPolicy } from './seed';
import { summarize, unexpected, type LoadResult } from './stats';

export const USER_AGENT = 'sessions-bench/2.0';

function httpRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent =
      body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method, headers: sent, timeout: 900_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 15 minutes')));
    req.on('error', reject);
    req.end(body);
  });
}
const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
/** Sign-in and raw argon2: twice libuv's default thread pool, so the pool is never idle. */
export const SIGNIN_CONCURRENCY = 8;
/** Latency goals are judged one request at a time (no queueing in the figure). */
export const LATENCY_CONCURRENCY = 1;
export const SIGNIN_PASSWORD = 'bench-password-0123';

export interface BenchContext {
  options: BenchOptions;
  db: Pool;
  databaseUrl: string;
  dataDir: string;
  meter: CpuMeter;
  api: ChildServer;
  /** The second API replica, idle until the replica comparison. */
  second: ChildServer;
  reference: ChildServer;
  env: Record<string, string>;
  config: RuntimeConfig;
  pgbench: string | null;
  passwordHash: string;
  cleanup: Cleanup;
}

interface Hooks {
  onWindowStart: () => void;
  onWindowEnd: () => void;
}

type Meta = Omit<Point, 'summary' | 'unexpected' | 'outcomes' | 'failures' | 'cpu'> & {
  /** Which CPU group serves the load (null: PostgreSQL alone, pgbench). */
  server: string | null;
  expected: string;
};

/** The scenarios, in the order they run; each records points, timings or plans, or an error. */
export class Bench {
  readonly points: Point[] = [];
  readonly once: Once[] = [];
  readonly plans: Plan[] = [];
  readonly profile: string[] = [];
  readonly notes: string[] = [];
  readonly errors: string[] = [];
  private readonly policy: SeedPolicy;

  constructor(private readonly ctx: BenchContext) {
    this.policy = {
      authTimeSeconds: Math.floor(Date.now() / 1000),
      idleMaxSeconds: ctx.config.policy.idleMinutesDefault * 60,
      absMaxSeconds: ctx.config.policy.absoluteMinutesDefault * 60,
    };
  }

  private get o(): BenchOptions {
    return this.ctx.options;
  }

  private get windows() {
    return { warmupMs: this.o.warmupSeconds * 1000, durationMs: this.o.durationSeconds * 1000 };
  }

  async all(): Promise<void> {
    const sections: [Section | 'warm-up' | 'profile', () => Promise<void>][] = [
      ['warm-up', () => this.warmUp()],
      ['refresh', () => this.refresh()],
      ['reads', () => this.reads()],
      ['signin', () => this.signIn()],
      ['devices', () => this.devices()],
      ['replicas', () => this.replicas()],
      ['revoke', () => this.bulkRevoke()],
      ['big', () => this.bigTables()],
    ];
    // `--profile --only signin` profiles the sign-in storm instead of refresh.
    const profileSignIn = this.o.only !== null && this.o.only.includes('signin') && !this.o.only.includes('refresh');
    if (this.o.profile) sections.push(['profile', () => (profileSignIn ? this.profileSignIn() : this.profileRefresh())]);
    const only = this.o.only;
    for (const [name, section] of sections) {
      if (only && name !== 'warm-up' && name !== 'profile' && !only.includes(name)) continue;
      log(`— ${name}`);
      try {
        await section();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${name} failed: ${message}`);
        this.errors.push(`${name}: ${message}`);
      }
      for (const server of [this.ctx.api, this.ctx.second, this.ctx.reference]) {
        if (server.exited) throw new Error(`${server.name} ${server.exited}`);
      }
    }
  }

  /**
   * Unmeasured load before the first measured point, so no scenario pays for a cold start:
   * refresh and guarded reads on both API replicas and the reference server at the highest
   * concurrency (more connections than the pools hold, so every pooled connection prepares
   * the named statements and V8 optimises the hot code), then the tables vacuumed and
   * analysed. Without it `--quick`'s first point ran at a fifth of the later rate, with
   * 6.9 ms of PostgreSQL CPU per refresh.
   */
  private async warmUp(): Promise<void> {
    const c = Math.max(...this.o.concurrencies, this.o.concurrency);
    const durationMs = (this.o.quick ? 2 : 3) * 1000;
    const servers: [ChildServer, string][] = [
      [this.ctx.api, '/api/auth/refresh'],
      [this.ctx.second, '/api/auth/refresh'],
      [this.ctx.reference, '/refresh'],
    ];
    const started = performance.now();
    await Promise.all(
      servers.map(async ([server, path]) => {
        const sessions = await seedSessions(this.ctx.db, { count: c, label: `warm-${server.pid}`, policy: this.policy });
        const minted = await this.mint(server, sessions);
        const refresh = runHttpLoad({
          urls: [server.url],
          connections: c,
          expectedStatus: 200,
          warmupMs: 0,
          durationMs,
          client: this.refreshClient(
            minted.map((t) => t.refreshToken),
            path,
          ),
        });
        const read =
          server === this.ctx.reference
            ? null
            : runHttpLoad({
                urls: [server.url],
                connections: Math.max(1, Math.round(c / 4)),
                expectedStatus: 200,
                warmupMs: 0,
                durationMs,
                client: (i) => ({
                  method: 'GET',
                  path: '/api/auth/me',
                  headers: { authorization: `Bearer ${minted[i % minted.length].accessToken}`, 'user-agent': USER_AGENT },
                }),
              });
        for (const result of await Promise.all([refresh, read])) {
          if (result && unexpected(result.outcomes, '200') > 0)
            log(`warm-up on ${server.name}: ${JSON.stringify(result.outcomes)}; first: ${result.failures.join(' | ')}`);
        }
      }),
    );
    await this.settle();
    log(`warm-up: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  /** Flushed, analysed tables, so one scenario's debris does not bill the next. */
  private async settle(checkpoint = true): Promise<void> {
    await this.ctx.db.query('VACUUM (ANALYZE) sessions, refresh_tokens, users, accounts');
    if (checkpoint && !this.o.quick) await this.ctx.db.query('CHECKPOINT');
  }

  /** Runs one load and charges the CPU of its measured window to the groups. */
  private async measure(meta: Meta, load: (hooks: Hooks) => Promise<LoadResult>): Promise<Point> {
    let from: CpuReading | null = null;
    let to: CpuReading | null = null;
    const result = await load({
      onWindowStart: () => (from = this.ctx.meter.read()),
      onWindowEnd: () => (to = this.ctx.meter.read()),
    });
    const use = from && to ? this.ctx.meter.use(from, to) : null;
    if (result.latenciesMs.length === 0) {
      // Slow is never an error (a busy machine); a server that stopped answering is caught by
      // the health check at the end of the run, and wrong answers are counted as unexpected.
      this.notes.push(`${meta.id}: no answer completed inside the ${this.o.durationSeconds} s window (machine too busy?)`);
    }
    const point: Point = {
      id: meta.id,
      scenario: meta.scenario,
      series: meta.series,
      operation: meta.operation,
      concurrency: meta.concurrency,
      summary: summarize(result),
      unexpected: unexpected(result.outcomes, meta.expected),
      outcomes: result.outcomes,
      failures: result.failures,
      cpu: {
        server: use && meta.server ? (use.groups[meta.server] ?? null) : null,
        postgres: use?.postgresCores ?? null,
        load: use ? (use.groups['load'] ?? null) : null,
        machine: use?.machineCores ?? null,
      },
    };
    this.points.push(point);
    const s = point.summary;
    if (point.unexpected > 0) log(`${meta.id}: unexpected ${JSON.stringify(point.outcomes)}; first: ${point.failures.join(' | ')}`);
    const perOp = (cores: number | null) => (cores === null || s.perSecond <= 0 ? '–' : ((cores * 1000) / s.perSecond).toFixed(3));
    log(
      `${meta.id}: ${Math.round(s.perSecond)}/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, ${point.unexpected} unexpected; ` +
        `CPU ms/op server ${perOp(point.cpu.server)}, PostgreSQL ${perOp(point.cpu.postgres)}, load ${perOp(point.cpu.load)}`,
    );
    return point;
  }

  private http(urls: string[], connections: number, expectedStatus: number, client: (index: number) => ClientScript) {
    return (hooks: Hooks) => runHttpLoad({ urls, connections, expectedStatus, client, ...this.windows, ...hooks });
  }

  private async mint(server: ChildServer, sessions: BenchSession[]): Promise<{ accessToken: string; refreshToken: string }[]> {
    const args: MintArgs = {
      sessions,
      issuedAt: Math.floor(Date.now() / 1000),
      snapshot: {
        authTime: this.policy.authTimeSeconds,
        idleMaxSeconds: this.policy.idleMaxSeconds,
        absMaxSeconds: this.policy.absMaxSeconds,
      },
    };
    return server.call('mint', args);
  }

  /** Connection i rotates its own session's chain: it always presents the token its previous answer returned. */
  private refreshClient(tokens: string[], path: string) {
    return (index: number): ClientScript => {
      let token = tokens[index];
      return {
        method: 'POST',
        path,
        headers: JSON_HEADERS,
        body: () => JSON.stringify({ refresh_token: token }),
        onResponse: (status, body) => {
          if (status === 200) token = (JSON.parse(body) as { refresh_token: string }).refresh_token;
        },
      };
    };
  }

  private async refreshApi(id: string, series: string, servers: ChildServer[], concurrency: number): Promise<Point> {
    const sessions = await seedSessions(this.ctx.db, { count: concurrency, label: id, policy: this.policy });
    const tokens = (await this.mint(this.ctx.api, sessions)).map((t) => t.refreshToken);
    return this.measure(
      { id, scenario: 'refresh', series, operation: '`POST /api/auth/refresh`', concurrency, server: 'api', expected: '200' },
      this.http(
        servers.map((s) => s.url),
        concurrency,
        200,
        this.refreshClient(tokens, '/api/auth/refresh'),
      ),
    );
  }

  private async refresh(): Promise<void> {
    for (const [level, c] of this.o.concurrencies.entries()) {
      await this.settle();
      await this.refreshApi(`refresh/api/${c}`, 'API', [this.ctx.api], c);

      const refSessions = await seedSessions(this.ctx.db, { count: c, label: `ref-${c}`, policy: this.policy });
      const refTokens = (await this.mint(this.ctx.reference, refSessions)).map((t) => t.refreshToken);
      await this.measure(
        {
          id: `refresh/reference/${c}`,
          scenario: 'refresh',
          series: 'reference',
          operation: '`POST /refresh` (reference)',
          concurrency: c,
          server: 'reference',
          expected: '200',
        },
        this.http([this.ctx.reference.url], c, 200, this.refreshClient(refTokens, '/refresh')),
      );

      const pgbench = this.ctx.pgbench;
      if (pgbench) {
        const base = (level + 1) * 1_000_000_000_000;
        const pgSessions = await seedSessions(this.ctx.db, {
          count: c,
          label: `pgbench-${c}`,
          policy: this.policy,
          storedHash: (_, i) => Buffer.from(String(chainStart(base, i))),
        });
        let processed = 0;
        const point = await this.measure(
          {
            id: `refresh/pgbench/${c}`,
            scenario: 'refresh',
            series: 'pgbench',
            operation: 'rotation statement, `pgbench -M prepared`',
            concurrency: c,
            server: null,
            expected: 'rotated',
          },
          async (hooks) => {
            const result = await runPgbench({
              pgbench,
              databaseUrl: this.ctx.databaseUrl,
              dir: this.ctx.dataDir,
              clients: c,
              base,
              ...this.windows,
              fixed: {
                idleSeconds: this.policy.idleMaxSeconds,
                absoluteSeconds: this.policy.absMaxSeconds,
                userAgent: USER_AGENT,
                ip: '127.0.0.1',
              },
              onStart: (pid) => (this.ctx.meter.groups['load'] = [process.pid, pid]),
              ...hooks,
            });
            this.ctx.meter.groups['load'] = [process.pid];
            processed = result.processed;
            return result;
          },
        );
        // Every transaction must have rotated: one used token per transaction, no more, no less.
        const { rows } = await this.ctx.db.query<{ used: string }>(
          `SELECT count(*) AS used FROM refresh_tokens WHERE used_at IS NOT NULL AND session_id = ANY($1::uuid[])`,
          [pgSessions.map((s) => s.sessionId)],
        );
        if (Number(rows[0].used) !== processed) {
          point.unexpected += Math.abs(Number(rows[0].used) - processed) || 1;
          point.failures.push(`pgbench processed ${processed} transactions but ${rows[0].used} tokens were used`);
        }
      }
    }
  }

  private async reads(): Promise<void> {
    await this.settle();
    const count = Math.max(...this.o.concurrencies);
    const sessions = await seedSessions(this.ctx.db, { count, label: 'reads', policy: this.policy });
    await this.settle(false);
    const tokens = (await this.mint(this.ctx.api, sessions)).map((t) => t.accessToken);
    for (const c of this.o.concurrencies) {
      await this.measure(
        {
          id: `read/me/${c}`,
          scenario: 'guarded read',
          series: 'guarded read',
          operation: '`GET /api/auth/me`',
          concurrency: c,
          server: 'api',
          expected: '200',
        },
        this.http([this.ctx.api.url], c, 200, (i) => ({
          method: 'GET',
          path: '/api/auth/me',
          headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'user-agent': USER_AGENT },
        })),
      );
      await this.measure(
        {
          id: `read/health/${c}`,
          scenario: 'guarded read',
          series: 'health',
          operation: '`GET /api/health`',
          concurrency: c,
          server: 'api',
          expected: '200',
        },
        this.http([this.ctx.api.url], c, 200, () => ({ method: 'GET', path: '/api/health', headers: { 'user-agent': USER_AGENT } })),
      );
    }
  }

  private async signIn(): Promise<void> {
    await this.signInApi('signin/api', 'API');
    // The same environment as the API replica, hence the same libuv thread pool size.
    const worker = await ChildServer.start('argon2 worker', 'argon2-worker.ts', this.ctx.env);
    this.ctx.meter.groups['argon2'] = [worker.pid];
    try {
      await this.measure(
        {
          id: 'signin/argon2',
          scenario: 'sign-in',
          series: 'raw argon2id verify',
          operation: '`verify()` of @node-rs/argon2',
          concurrency: SIGNIN_CONCURRENCY,
          server: 'argon2',
          expected: 'verified',
        },
        async (hooks) => {
          const start = setTimeout(hooks.onWindowStart, this.windows.warmupMs);
          const end = setTimeout(hooks.onWindowEnd, this.windows.warmupMs + this.windows.durationMs);
          try {
            const args: Argon2Run = {
              hash: this.ctx.passwordHash,
              password: SIGNIN_PASSWORD,
              concurrency: SIGNIN_CONCURRENCY,
              ...this.windows,
            };
            const result = await worker.call<LoadResult & { latenciesMs: number[] }>('run', args);
            return { ...result, latenciesMs: Float64Array.from(result.latenciesMs) };
          } finally {
            clearTimeout(start);
            clearTimeout(end);
          }
        },
      );
    } finally {
      delete this.ctx.meter.groups['argon2'];
      await worker.stop();
    }
  }

  /**
   * A user with `count` live sessions (the first is the one the token belongs to) and its
   * access token; the other sessions come from `clients` (the bench client on loopback when absent).
   */
  private async userWithSessions(label: string, count: number, role: 'engineer' | 'owner' = 'engineer', clients?: readonly SeedClient[]) {
    const [session] = await seedSessions(this.ctx.db, { count: 1, label, policy: this.policy, role });
    if (count > 1) await addSessions(this.ctx.db, session, count - 1, this.policy, clients);
    const [{ accessToken }] = await this.mint(this.ctx.api, [session]);
    return { session, accessToken };
  }

  private deviceList(id: string, series: string, concurrency: number, accessToken: string): Promise<Point> {
    return this.measure(
      { id, scenario: 'device list', series, operation: '`GET /api/me/sessions`', concurrency, server: 'api', expected: '200' },
      this.http([this.ctx.api.url], concurrency, 200, () => ({
        method: 'GET',
        path: '/api/me/sessions',
        headers: { authorization: `Bearer ${accessToken}`, 'user-agent': USER_AGENT },
      })),
    );
  }

  private async devices(): Promise<void> {
    const cap = this.ctx.config.sessionMaxPerUser;
    const cases: [string, string, number][] = [
      ['few', '3 sessions', 3],
      ['cap', `${cap} sessions (the cap)`, cap],
      ['many', `${this.o.manyDevices.toLocaleString('en-US')} sessions (past the cap, seeded in SQL)`, this.o.manyDevices],
    ];
    const users = [];
    // Real browsers on public addresses: what the list's per-row work (user agent, geo-IP) meets in production.
    for (const [key, label, count] of cases)
      users.push({ key, label, ...(await this.userWithSessions(`devices-${key}`, count, 'engineer', REAL_CLIENTS)) });
    await this.settle();
    for (const user of users) {
      for (const c of [LATENCY_CONCURRENCY, this.o.concurrency])
        await this.deviceList(`devices/${user.key}/${c}`, user.label, c, user.accessToken);
    }
    const atCap = users.find((user) => user.key === 'cap');
    if (this.o.profile && atCap)
      await this.profiled('devices/cap', () =>
        this.deviceList('profile/devices/cap', 'API, profiled', LATENCY_CONCURRENCY, atCap.accessToken),
      );
  }

  /**
   * With `--profile`, one more (unreported) run of a read scenario under the V8 profiler: its
   * self-time summary goes to the log, the whole profile to the temp folder. The refresh
   * profile alone is written into the report.
   */
  private async profiled(id: string, run: () => Promise<Point>): Promise<void> {
    await this.ctx.api.call('profileStart', null);
    const point = await run();
    this.points.splice(this.points.indexOf(point), 1); // the profiler slows it: not a figure
    const summary = await this.ctx.api.call<string[]>('profileStop', null);
    log(`profile of ${id} at c=${point.concurrency} (the .cpuprofile is in the temp folder):`);
    for (const line of summary) log(`  ${line}`);
  }

  private async replicas(): Promise<void> {
    const second = this.ctx.second;
    const c = this.o.concurrency;
    await this.settle();
    await this.refreshApi(`replicas/1/${c}`, '1 replica', [this.ctx.api], c);
    this.ctx.meter.groups['api'] = [this.ctx.api.pid, second.pid];
    try {
      await this.refreshApi(`replicas/2/${c}`, '2 replicas', [this.ctx.api, second], c);
    } finally {
      this.ctx.meter.groups['api'] = [this.ctx.api.pid];
    }
  }

  /**
   * The product's bulk revoke: an owner's "sign everyone else out" over an account whose
   * sessions are spread like real ones (the cap's worth per user, seeded in SQL), timed once
   * per size; then the owner ending one member's sessions at the cap, the most a member holds.
   */
  private async bulkRevoke(): Promise<void> {
    const cap = this.ctx.config.sessionMaxPerUser;
    for (const size of this.o.revokeSizes) {
      const { accessToken, session: owner } = await this.userWithSessions(`revoke-owner-${size}`, 1, 'owner');
      const users = Math.ceil(size / cap);
      await this.ctx.db.query(
        `INSERT INTO users (account_id, email, name, role, password_hash, is_active)
         SELECT $1, 'bench-spread-' || g || '-' || gen_random_uuid() || '@bench.test', 'Bench member', 'engineer', '!no-password', true
           FROM generate_series(1, $2::int) g`,
        [owner.accountId, users],
      );
      // `size` sessions exactly: the cap's worth per member, the last member holding the rest.
      await this.ctx.db.query(
        `WITH m AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE account_id = $1 AND email LIKE 'bench-spread-%')
         INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at)
         SELECT $1, m.id, $4::timestamptz - interval '2 hours', $5, $6, 'sessions-bench', '127.0.0.1', $4::timestamptz - interval '2 hours',
                $4::timestamptz - make_interval(secs => g % 3600)
           FROM generate_series(0, $2::int - 1) g JOIN m ON m.n = g / $3::int`,
        [owner.accountId, size, cap, new Date(this.policy.authTimeSeconds * 1000), this.policy.idleMaxSeconds, this.policy.absMaxSeconds],
      );
      await this.settle();
      // `others`: the owner's own session survives; what must end is every other live row.
      const live = await this.ctx.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM sessions WHERE account_id = $1 AND user_id <> $2 AND revoked_at IS NULL',
        [owner.accountId, owner.userId],
      );
      const expected = Number(live.rows[0].n);
      if (expected !== size) log(`revoke/account/${size}: ${expected} live sessions seeded, not ${size}`);
      await this.timedRevoke(
        `revoke/account/${size}`,
        `${size.toLocaleString('en-US')} sessions, ${users.toLocaleString('en-US')} users × ≤ ${cap} (\`POST /api/accounts/me/security/revoke-sessions\` \`others\`)`,
        expected,
        `${this.ctx.api.url}/api/accounts/me/security/revoke-sessions`,
        'POST',
        accessToken,
        JSON.stringify({ scope: 'others' }),
      );
    }
    const { session: owner, accessToken } = await this.userWithSessions(`revoke-member-owner`, 1, 'owner');
    const { rows } = await this.ctx.db.query<{ id: string }>(
      `INSERT INTO users (account_id, email, name, role, password_hash, is_active)
       VALUES ($1, 'bench-member-' || gen_random_uuid() || '@bench.test', 'Bench member', 'engineer', '!no-password', true) RETURNING id`,
      [owner.accountId],
    );
    await addSessions(this.ctx.db, { accountId: owner.accountId, userId: rows[0].id }, cap, this.policy);
    await this.settle(false);
    await this.timedRevoke(
      `revoke/member/cap`,
      `${cap} sessions of one member, the cap (\`DELETE /api/accounts/me/members/{id}/sessions\`)`,
      cap,
      `${this.ctx.api.url}/api/accounts/me/members/${rows[0].id}/sessions`,
      'DELETE',
      accessToken,
    );
  }

  private async timedRevoke(id: string, label: string, size: number, url: string, method: string, token: string, body?: string) {
    const from = this.ctx.meter.read();
    const started = performance.now();
    // node:http, not fetch: undici gives up on an answer after 5 minutes, and on a loaded
    // machine a 100k revocation can take longer (slow is not an error here).
    const response = await httpRequest(url, method, { authorization: `Bearer ${token}`, 'user-agent': USER_AGENT }, body);
    const ms = performance.now() - started;
    // CPU spent on it, which a loaded machine inflates far less than the time it took.
    const use = this.ctx.meter.use(from, this.ctx.meter.read());
    const cpuMs = (cores: number | null | undefined) =>
      cores === null || cores === undefined ? '?' : Math.round(cores * ms).toLocaleString('en-US');
    const cpu = `CPU: API ${cpuMs(use.groups['api'])} ms, PostgreSQL ${cpuMs(use.postgresCores)} ms`;
    const text = response.body;
    const revoked = response.status === 200 ? (JSON.parse(text) as { revoked_count?: number }).revoked_count : undefined;
    const ok = response.status === 200 && revoked === size;
    this.once.push({
      id,
      label,
      ms,
      ok,
      detail: ok
        ? `${revoked} revoked, ${(size / ms).toFixed(1)} sessions/ms; ${cpu}`
        : `HTTP ${response.status}, expected ${size} revoked: ${text.slice(0, 300)}`,
    });
    log(`${id}: ${ms.toFixed(0)} ms (${ok ? 'ok' : text.slice(0, 200)}); ${cpu}`);
  }

  /** `rows` sessions (100 per user: the cap's 50 live, 50 ended) and `rows` audit events, then plans and latency. */
  private async bigTables(): Promise<void> {
    const rows = this.o.bigRows;
    const db = this.ctx.db;
    const now = new Date();
    const started = performance.now();
    const accounts = Math.max(1, Math.round(rows / 5000));
    await db.query(`INSERT INTO accounts (id, name) SELECT gen_random_uuid(), 'Big ' || g FROM generate_series(1, $1::int) g`, [accounts]);
    await db.query(
      `INSERT INTO users (account_id, email, name, role, password_hash, is_active)
       SELECT a.id, 'big-' || a.id || '-' || g || '@bench.test', 'Big user', 'engineer', '!no-password', true
         FROM accounts a CROSS JOIN generate_series(1, 50) g WHERE a.name LIKE 'Big %'`,
    );
    await db.query(
      `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at, revoked_at, revoke_reason)
       SELECT u.account_id, u.id, $1::timestamptz - interval '3 days', $2, $3, 'sessions-bench', '127.0.0.1', $1::timestamptz - interval '3 days',
              $1::timestamptz - make_interval(secs => abs(g::bigint * 7919 + hashtext(u.id::text)::bigint) % 86400),
              CASE WHEN g > 50 THEN $1::timestamptz - interval '1 day' END, CASE WHEN g > 50 THEN 'logout' END
         FROM users u CROSS JOIN generate_series(1, 100) g WHERE u.email LIKE 'big-%'`,
      [now, this.policy.idleMaxSeconds, this.policy.absMaxSeconds],
    );
    const user = await this.userWithSessions('big-user', this.ctx.config.sessionMaxPerUser, 'engineer', REAL_CLIENTS);
    const owner = await this.userWithSessions('big-owner', 1, 'owner');
    const half = Math.floor(rows / 2);
    await db.query(
      `INSERT INTO audit_events (account_id, actor_user_id, action, resource_type, resource_id, details, ip, user_agent, occurred_at)
       SELECT $1, $2, 'session.refreshed', 'session', NULL, '{}'::jsonb, '127.0.0.1', 'sessions-bench', $4::timestamptz - make_interval(secs => g)
         FROM generate_series(1, $3::int) g`,
      [owner.session.accountId, owner.session.userId, half, now],
    );
    await db.query(
      `INSERT INTO audit_events (account_id, actor_user_id, action, resource_type, resource_id, details, ip, user_agent, occurred_at)
       SELECT a.id, NULL, 'session.refreshed', 'session', NULL, '{}'::jsonb, '127.0.0.1', 'sessions-bench', $2::timestamptz - make_interval(secs => g)
         FROM accounts a CROSS JOIN generate_series(1, $1::int) g WHERE a.name LIKE 'Big %'`,
      [Math.ceil((rows - half) / accounts), now],
    );
    await db.query('VACUUM (ANALYZE) sessions, audit_events, users, accounts');
    await db.query('CHECKPOINT');
    const counts = (
      await db.query<{ sessions: string; audit: string }>(
        `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM audit_events) AS audit`,
      )
    ).rows[0];
    const seeded = `${Number(counts.sessions).toLocaleString('en-US')} sessions and ${Number(counts.audit).toLocaleString('en-US')} audit events`;
    this.notes.push(`Big tables: ${seeded}, seeded in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    log(`big tables: ${seeded}`);

    // The exact statements: the API's own repositories, with their query functions replaced by a recorder.
    const captured: { text: string; values: unknown[] }[] = [];
    const record = async (text: string | { text: string }, values: readonly unknown[] = []) => {
      captured.push({ text: typeof text === 'string' ? text : text.text, values: [...values] });
      return [];
    };
    const sessionsRepo = new SessionsRepository({ tx: { query: record } } as never, { query: record } as never, { rows: record } as never);
    await sessionsRepo.devicesPage(
      { accountId: user.session.accountId, userId: user.session.userId, currentSessionId: user.session.sessionId },
      new Date(),
      null,
      Math.min(this.ctx.config.sessionMaxPerUser, DEVICE_PAGE_MAX),
    );
    await new AuditEventsRepository({ rows: record } as never, { query: record } as never).list(owner.session.accountId, {
      limit: AUDIT_PAGE_DEFAULT + 1,
    });
    const labels: [string, string][] = [
      ['big/devices', "Device list, first page (`sessions_devices_page`, the API's named statement)"],
      ['big/audit', 'Audit log, first page (`AuditEventsRepository.list`)'],
    ];
    for (const [index, [id, label]] of labels.entries()) {
      const statement = captured[index];
      if (!statement) throw new Error(`the repository sent no statement for ${id}`);
      await db.query(statement.text, statement.values); // warm the cache like a running API
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
      this.plans.push({
        id: `plan:${id}`,
        label,
        statement: statement.text.trim(),
        plan: plan.rows.map((r) => r['QUERY PLAN']).join('\n'),
      });
    }

    await this.deviceList(
      `big/devices`,
      `${this.ctx.config.sessionMaxPerUser} sessions in a ${rows.toLocaleString('en-US')}-row table`,
      LATENCY_CONCURRENCY,
      user.accessToken,
    );
    await this.auditPage('big/audit', `first page, ${rows.toLocaleString('en-US')}-row table`, owner.accessToken);
    if (this.o.profile) {
      await this.profiled('big/devices', () =>
        this.deviceList('profile/big/devices', 'API, profiled', LATENCY_CONCURRENCY, user.accessToken),
      );
      await this.profiled('big/audit', () => this.auditPage('profile/big/audit', 'API, profiled', owner.accessToken));
    }
  }

  /** The first page of the audit log, one request at a time (the latency goal). */
  private auditPage(id: string, series: string, accessToken: string): Promise<Point> {
    return this.measure(
      {
        id,
        scenario: 'audit log',
        series,
        operation: '`GET /api/accounts/me/audit-events`',
        concurrency: LATENCY_CONCURRENCY,
        server: 'api',
        expected: '200',
      },
      this.http([this.ctx.api.url], LATENCY_CONCURRENCY, 200, () => ({
        method: 'GET',
        path: '/api/accounts/me/audit-events',
        headers: { authorization: `Bearer ${accessToken}`, 'user-agent': USER_AGENT },
      })),
    );
  }

  /** Password sign-ins of 64 distinct users (seeded here) on the API at SIGNIN_CONCURRENCY. */
  private async signInApi(id: string, series: string): Promise<Point> {
    const users = await seedSessions(this.ctx.db, {
      count: 64,
      label: id.replace(/\W/g, '-'),
      policy: this.policy,
      passwordHash: this.ctx.passwordHash,
    });
    await this.settle(false);
    const emails = users.map((u) => `bench-${id.replace(/\W/g, '-')}-${u.userId}@bench.test`);
    let next = 0;
    return this.measure(
      {
        id,
        scenario: 'sign-in',
        series,
        operation: '`POST /api/auth/login/json`',
        concurrency: SIGNIN_CONCURRENCY,
        server: 'api',
        expected: '200',
      },
      this.http([this.ctx.api.url], SIGNIN_CONCURRENCY, 200, () => ({
        method: 'POST',
        path: '/api/auth/login/json',
        headers: JSON_HEADERS,
        body: () => JSON.stringify({ email: emails[next++ % emails.length], password: SIGNIN_PASSWORD }),
      })),
    );
  }

  /** A V8 CPU profile of the API replica during sign-in (`--profile --only signin`): its time besides argon2's thread pool. */
  private async profileSignIn(): Promise<void> {
    await this.ctx.api.call('profileStart', null);
    const point = await this.signInApi('profile/signin', 'API, profiled');
    this.points.splice(this.points.indexOf(point), 1); // the profiler slows it: not a figure
    const summary = await this.ctx.api.call<string[]>('profileStop', null);
    this.profile.push(...summary);
    for (const line of summary) log(`  ${line}`);
  }

  /** A V8 CPU profile of the API replica during refresh (`--profile`): where its time goes. */
  private async profileRefresh(): Promise<void> {
    await this.ctx.api.call('profileStart', null);
    const point = await this.refreshApi(`profile/refresh/${this.o.concurrency}`, 'API, profiled', [this.ctx.api], this.o.concurrency);
    this.points.splice(this.points.indexOf(point), 1); // the profiler slows it: not a figure
    const summary = await this.ctx.api.call<string[]>('profileStop', null);
    this.profile.push(...summary);
    for (const line of summary) log(`  ${line}`);
  }
}
