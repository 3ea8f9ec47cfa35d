import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { TokenService } from '../src/auth/token.service';
import { loadConfig } from '../src/config/app-config';
import type { RuntimeConfig } from '../src/config/runtime-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../src/database/migrate';
import type { RotateParams } from '../src/sessions/sessions.repository';
import { CpuMeter, CpuReading, processCpuSeconds } from './cpu';
import { CpuProfiler } from './profiler';
import type { ChildMessage, HttpLoadSpec, ParentMessage } from './http-load';
import { BenchOptions, parseOptions, UsageError, USAGE } from './options';
import {
  benchmarksDocument,
  findings,
  MachineInfo,
  NOISE_CORES,
  otherCores,
  PhaseId,
  PhaseRecord,
  resultsTable,
  RunReport,
} from './report';
import { BenchSession, seedSessions, sha256 } from './seed';
import { repositoryOverPgPool, runSqlLoad } from './sql-load';
import { LoadResult, summarize, unexpected } from './stats';

/**
 * `npm run bench`: the refresh hot path through HTTP against the same statement on
 * PostgreSQL alone, plus a guarded read and a floor. Self-contained (embedded
 * PostgreSQL in a temp folder, the real API on 127.0.0.1), bounded, and cleaned up.
 * See docs/benchmarks.md (written by `--write`).
 */

const DATABASE = 'sessions_bench';
const USER_AGENT = 'sessions-bench/1.0';
const REQUEST_TIMEOUT_MS = 10_000;
const DOC = resolve(__dirname, '..', '..', '..', 'docs', 'benchmarks.md');

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Cleanup steps, run last-in first-out, each at most once, each bounded. */
class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolveTimeout) => {
          timer = setTimeout(() => {
            log(`cleanup: ${step.name} did not finish within 15 s; going on`);
            resolveTimeout();
          }, 15_000);
        });
        try {
          await Promise.race([Promise.resolve().then(step.run), timeout]);
        } catch (error) {
          log(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}

function filesystemName(dir: string): string {
  const names: Record<number, string> = {
    0xef53: 'ext4',
    0x58465342: 'xfs',
    0x9123683e: 'btrfs',
    0x01021994: 'tmpfs',
    0x794c7630: 'overlayfs',
    0x6969: 'nfs',
  };
  try {
    const kind = statfsSync(dir).type;
    return names[kind] ?? `filesystem 0x${kind.toString(16)}`;
  } catch {
    return 'an unknown filesystem';
  }
}

async function machineInfo(db: DataSource, dataDir: string): Promise<MachineInfo> {
  const [{ version }] = (await db.query('SELECT version()')) as [{ version: string }];
  const settings: Record<string, string> = {};
  for (const name of ['shared_buffers', 'max_connections', 'synchronous_commit', 'fsync', 'wal_buffers', 'max_wal_size', 'work_mem']) {
    const [row] = (await db.query(`SHOW ${name}`)) as [Record<string, string>];
    settings[name] = row[name];
  }
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: totalmem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: version.replace(/ on .*$/, '').replace(/,.*$/, ''),
    postgresSettings: settings,
    dataDirFilesystem: filesystemName(dataDir),
    loadAverage: loadavg()[0],
    backgroundCores: null,
  };
}

/** Flushed, analysed tables before each scenario, so one scenario's debris does not bill the next. */
async function settle(databaseUrl: string): Promise<void> {
  // Its own connection: VACUUM and CHECKPOINT may outlast the API pool's request bounds
  // (statement_timeout, query timeout) on a busy machine.
  const client = new Client({ connectionString: databaseUrl, application_name: 'sessions-bench', statement_timeout: 120_000 });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) sessions, refresh_tokens, users, accounts');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

interface Measured {
  result: LoadResult;
  cpu: PhaseRecord['cpu'];
  /** Scenario A: the sessions' latest refresh tokens, to continue the chains next round. */
  tokens: string[] | null;
}

/** Runs the HTTP load generator in a child process and measures CPU over its measured window. */
function runHttpPhase(spec: HttpLoadSpec, meter: CpuMeter, hooks: { onWindowStart?: () => void } = {}): Promise<Measured> {
  return new Promise((resolvePhase, reject) => {
    const child = fork(join(__dirname, 'http-load.ts'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    let windowStart: { cpu: CpuReading; node: number } | null = null;
    const limitMs = spec.warmupMs + spec.durationMs + spec.requestTimeoutMs + 30_000;
    const timer = setTimeout(() => fail(new Error(`the load generator did not finish within ${limitMs / 1000} s`)), limitMs);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`the load generator exited (${code}) without a result`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        child.send({ type: 'run', spec } satisfies ParentMessage);
      } else if (message.type === 'window-start') {
        windowStart = { cpu: meter.read(), node: processCpuSeconds() };
        hooks.onWindowStart?.();
      } else if (!settled) {
        settled = true;
        clearTimeout(timer);
        const end = meter.read();
        const nodeSeconds = processCpuSeconds();
        const seconds = message.windowMs / 1000;
        const use = windowStart ? meter.use(windowStart.cpu, end) : { machineCores: null, postgresCores: null };
        resolvePhase({
          result: message.output.result,
          tokens: message.output.tokens,
          cpu: {
            client: seconds > 0 ? message.cpuSeconds / seconds : null,
            node: windowStart && seconds > 0 ? (nodeSeconds - windowStart.node) / seconds : null,
            postgres: use.postgresCores,
            machine: use.machineCores,
          },
        });
      }
    });
  });
}

/** Runs an in-process SQL load and measures CPU over its measured window. */
async function runSqlPhase(run: (onWindowStart: () => void) => Promise<LoadResult>, meter: CpuMeter): Promise<Measured> {
  let windowStart: { cpu: CpuReading; node: number } | null = null;
  const result = await run(() => {
    windowStart = { cpu: meter.read(), node: processCpuSeconds() };
  });
  const end = meter.read();
  const started = windowStart as { cpu: CpuReading; node: number } | null;
  if (!started) return { result, tokens: null, cpu: { client: null, node: null, postgres: null, machine: null } };
  const seconds = (end.at - started.cpu.at) / 1000;
  const use = meter.use(started.cpu, end);
  return {
    result,
    tokens: null,
    cpu: {
      client: null,
      node: seconds > 0 ? (processCpuSeconds() - started.node) / seconds : null,
      postgres: use.postgresCores,
      machine: use.machineCores,
    },
  };
}

const fmt = (value: number | null) => (value === null ? '–' : value.toFixed(2));

interface Scenario {
  id: PhaseId;
  name: string;
  operation: string;
  /** The outcome every operation should have. */
  expected: string;
  run: (round: number) => Promise<Measured>;
}

function logMeasured(label: string, expected: string, measured: Measured): void {
  const summary = summarize(measured.result);
  const bad = unexpected(measured.result.outcomes, expected);
  log(
    `${label}: ${Math.round(summary.perSecond)}/s, p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms, ` +
      `${summary.operations} measured, ${bad} unexpected${measured.result.failures.length ? ` (${measured.result.failures[0]})` : ''}; ` +
      `CPU cores load gen ${fmt(measured.cpu.client)}, node ${fmt(measured.cpu.node)}, postgres ${fmt(measured.cpu.postgres)}, other ${fmt(otherCores(measured.cpu))}`,
  );
}

/** One scenario's rounds as one measurement: samples pooled, CPU averaged over the measured time. */
function merge(parts: Measured[]): Measured {
  const elapsed = parts.reduce((sum, part) => sum + part.result.elapsedMs, 0);
  const latencies = new Float64Array(parts.reduce((sum, part) => sum + part.result.latenciesMs.length, 0));
  let offset = 0;
  const outcomes: Record<string, number> = {};
  for (const part of parts) {
    latencies.set(part.result.latenciesMs, offset);
    offset += part.result.latenciesMs.length;
    for (const [outcome, count] of Object.entries(part.result.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
  }
  const average = (pick: (cpu: PhaseRecord['cpu']) => number | null): number | null => {
    if (elapsed <= 0 || parts.some((part) => pick(part.cpu) === null)) return null;
    return parts.reduce((sum, part) => sum + (pick(part.cpu) ?? 0) * part.result.elapsedMs, 0) / elapsed;
  };
  return {
    result: { latenciesMs: latencies, elapsedMs: elapsed, outcomes, failures: parts.flatMap((part) => part.result.failures).slice(0, 5) },
    cpu: {
      client: average((c) => c.client),
      node: average((c) => c.node),
      postgres: average((c) => c.postgres),
      machine: average((c) => c.machine),
    },
    tokens: null,
  };
}

function record(scenario: Scenario, parts: Measured[]): PhaseRecord {
  const measured = merge(parts);
  return {
    id: scenario.id,
    name: scenario.name,
    operation: scenario.operation,
    summary: summarize(measured.result),
    roundRates: parts.map((part) => (part.result.elapsedMs > 0 ? (part.result.latenciesMs.length * 1000) / part.result.elapsedMs : 0)),
    outcomes: measured.result.outcomes,
    unexpected: unexpected(measured.result.outcomes, scenario.expected),
    failures: measured.result.failures,
    cpu: measured.cpu,
  };
}

async function bench(options: BenchOptions, cleanup: Cleanup): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const warmupMs = options.warmupSeconds * 1000;
  const durationMs = (options.durationSeconds * 1000) / options.rounds;

  log('starting an embedded PostgreSQL in a temp folder');
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-bench-'));
  cleanup.add('remove the temp folder', () => rmSync(dataDir, { recursive: true, force: true }));
  const pgLog: string[] = [];
  const postgres = await startEmbeddedPostgres({
    dataDir,
    persistent: false,
    log: (line) => {
      pgLog.push(line);
      if (pgLog.length > 30) pgLog.shift();
    },
  });
  cleanup.add('stop PostgreSQL', () => postgres.stop());
  pgLog.length = 0; // keep what the server says from here on, not initdb's chatter
  const meter = new CpuMeter(dataDir, availableParallelism());
  await ensureDatabase(postgres.url('postgres'), DATABASE);
  const databaseUrl = postgres.url(DATABASE);
  await runMigrations(databaseUrl);

  log('starting the API');
  const config: RuntimeConfig = {
    // Production defaults (argon2, policy, token TTLs); only the logs are silenced, and the
    // per-address refresh limit is lifted: every simulated client comes from 127.0.0.1. The
    // limiter still runs on every refresh, so its cost stays in the figures.
    ...loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', REFRESH_MAX_PER_ADDRESS: '100000000' }),
    databaseUrl,
    accessTokenSecret: randomBytes(32).toString('hex'),
    refreshTokenSecret: randomBytes(32).toString('hex'),
    databasePoolSize: options.poolSize,
  };
  const app: NestFastifyApplication = await createApp(config);
  cleanup.add('close the API', () => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const db = app.get(DataSource);
  const tokens = app.get(TokenService);
  const machine = await machineInfo(db, dataDir);

  log(`seeding 2 × ${options.sessions} sessions`);
  const policy = {
    authTimeSeconds: Math.floor(Date.now() / 1000),
    idleMaxSeconds: config.policy.idleMinutesDefault * 60,
    absMaxSeconds: config.policy.absoluteMinutesDefault * 60,
  };
  const snapshot = { authTime: policy.authTimeSeconds, idleMaxSeconds: policy.idleMaxSeconds, absMaxSeconds: policy.absMaxSeconds };
  const mint = (s: BenchSession, jti: string, issuedAt: number) =>
    tokens.mint({ userId: s.userId, accountId: s.accountId, sessionId: s.sessionId, role: s.role, jti, snapshot, issuedAt });
  const httpSessions = await seedSessions(db, options.sessions, 'a', policy);
  const sqlSessions = await seedSessions(db, options.sessions, 'b', policy);
  const refreshTokens = httpSessions.map((s) => mint(s, s.jti, policy.authTimeSeconds).refreshToken);
  const fixed = {
    legacy: false,
    defaultIdleSeconds: policy.idleMaxSeconds,
    defaultAbsoluteSeconds: policy.absMaxSeconds,
    userAgent: USER_AGENT,
    ip: '127.0.0.1',
  };
  await settle(databaseUrl);

  // A quiet moment: what the rest of the machine is doing before we load it.
  const idleFrom = { cpu: meter.read(), node: processCpuSeconds() };
  await new Promise((resolveIdle) => setTimeout(resolveIdle, 2000));
  const idleTo = meter.read();
  const idle = meter.use(idleFrom.cpu, idleTo);
  const ownCores = (processCpuSeconds() - idleFrom.node) / ((idleTo.at - idleFrom.cpu.at) / 1000);
  machine.backgroundCores = idle.machineCores === null ? null : Math.max(0, idle.machineCores - (idle.postgresCores ?? 0) - ownCores);
  machine.loadAverage = loadavg()[0];
  if ((machine.backgroundCores ?? 0) >= NOISE_CORES) {
    log(
      `warning: other processes keep ${machine.backgroundCores?.toFixed(2)} cores busy (load average ${machine.loadAverage.toFixed(1)}); figures will be low`,
    );
  }

  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.poolSize,
    application_name: 'sessions-bench',
    statement_timeout: 15_000,
  });
  // An idle connection dropped by the server (e.g. PostgreSQL stopping on Ctrl-C) must not crash the run.
  pool.on('error', (error) => log(`pg pool: ${error.message}`));
  cleanup.add('close the pg pool', () => (pool.ended ? undefined : pool.end()));
  const bare = repositoryOverPgPool(pool);
  const unprepared = repositoryOverPgPool(pool, false);
  const chains = sqlSessions.map((s) => sha256(s.jti));
  let chainTokens = refreshTokens;

  const http = (mode: HttpLoadSpec['mode'], path: string, bearer: string[]): HttpLoadSpec => ({
    port,
    mode,
    path,
    concurrency: options.concurrency,
    warmupMs,
    durationMs,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    tokens: bearer,
    userAgent: USER_AGENT,
  });
  const sql = (rotate: (p: RotateParams) => Promise<boolean>) =>
    runSqlPhase(
      (onWindowStart) => runSqlLoad({ concurrency: options.concurrency, warmupMs, durationMs, chains, fixed, rotate, onWindowStart }),
      meter,
    );
  const profiler = options.profile ? new CpuProfiler() : null;

  const scenarios: Scenario[] = [
    {
      id: 'A',
      name: 'Refresh via HTTP',
      operation: '`POST /api/auth/refresh`',
      expected: '200',
      run: async (round) => {
        const profiling: { started: Promise<void> | null } = { started: null };
        const onWindowStart = () => {
          if (round === 1 && profiler) profiling.started = profiler.start();
        };
        const measured = await runHttpPhase(
          http(
            'refresh',
            '/api/auth/refresh',
            chainTokens.filter((t) => t !== ''),
          ),
          meter,
          { onWindowStart },
        );
        chainTokens = measured.tokens ?? chainTokens;
        if (profiler && profiling.started) {
          await profiling.started;
          const file = join(tmpdir(), `sessions-bench-A-${Date.now()}.cpuprofile`);
          const summary = await profiler.stop(file);
          log(`CPU profile of the API during A (round 1): ${file}`);
          for (const line of summary) log(`  ${line}`);
        }
        return measured;
      },
    },
    {
      id: 'B1',
      name: 'Rotation SQL, prepared, bare `pg`',
      operation: 'rotation statement',
      expected: 'rotated',
      run: () => sql(async (p) => (await bare.rotate(p))?.rotated === true),
    },
    {
      id: 'B2',
      name: 'Rotation SQL, unprepared',
      operation: 'rotation statement',
      expected: 'rotated',
      run: () => sql(async (p) => (await unprepared.rotate(p))?.rotated === true),
    },
    {
      id: 'C1',
      name: 'Guarded read via HTTP',
      operation: '`GET /api/auth/me`',
      expected: '200',
      run: () => {
        // Fresh access tokens every round: they live 5 minutes.
        const now = Math.floor(Date.now() / 1000);
        const accessTokens = httpSessions.map((s) => mint(s, randomUUID(), now).accessToken);
        return runHttpPhase(http('get', '/api/auth/me', accessTokens), meter);
      },
    },
    {
      id: 'C2',
      name: 'Health via HTTP',
      operation: '`GET /api/health`',
      expected: '200',
      run: () => runHttpPhase(http('get', '/api/health', []), meter),
    },
  ];

  const parts = new Map<PhaseId, Measured[]>(scenarios.map((scenario) => [scenario.id, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const scenario of scenarios) {
      await settle(databaseUrl);
      const measured = await scenario.run(round);
      parts.get(scenario.id)?.push(measured);
      logMeasured(`${scenario.id} ${scenario.name}, round ${round}/${options.rounds}`, scenario.expected, measured);
    }
  }
  const phases = scenarios.map((scenario) => record(scenario, parts.get(scenario.id) ?? []));

  const report: RunReport = { startedAt, totalSeconds: (performance.now() - t0) / 1000, options, machine, phases };
  if (phases.some((p) => p.unexpected > 0)) {
    log('last PostgreSQL log lines:');
    for (const line of pgLog) log(`  ${line}`);
  }
  return report;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const cleanup = new Cleanup();
  // Five scenarios plus set-up; past this the run is stuck: clean up and fail.
  const budgetMs = (120 + options.durationSeconds * 5 + options.rounds * 5 * (options.warmupSeconds + 20)) * 1000;
  const watchdog = setTimeout(() => {
    log(`watchdog: the run exceeded ${Math.round(budgetMs / 1000)} s; stopping`);
    setTimeout(() => process.exit(4), 20_000).unref();
    void cleanup.run().finally(() => process.exit(4));
  }, budgetMs);
  watchdog.unref();
  const interrupt = () => {
    log('interrupted; cleaning up');
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    const report = await bench(options, cleanup);
    const table = [resultsTable(report), '', ...findings(report).map((line) => `- ${line}`)].join('\n');
    process.stdout.write(`\n${table}\n\n`);
    const failed = report.phases.filter((p) => p.unexpected > 0);
    if (failed.length) {
      log(
        `FAILED: unexpected outcomes in ${failed.map((p) => p.id).join(', ')}${options.write ? `; ${relative(process.cwd(), DOC)} left as it was` : ''}`,
      );
      return 1;
    }
    if (options.write) {
      writeFileSync(DOC, benchmarksDocument(report));
      log(`wrote ${relative(process.cwd(), DOC)}`);
    }
    return 0;
  } finally {
    clearTimeout(watchdog);
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
