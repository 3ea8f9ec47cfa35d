import { hash as argon2Hash, Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../../../apps/api/src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../../../apps/api/src/database/migrate';
import { threadPoolSize } from '../../../apps/api/src/thread-pool';
import { apiConfig } from './api-config';
import { log, Cleanup } from './cleanup';
import { CpuMeter, processCpuSeconds } from './cpu';
import { ChildServer } from './ipc';
import type { MachineInfo, RunReport } from './model';
import { BenchOptions, parseOptions, UsageError, USAGE } from './options';
import { findPgbench, PGBENCH_MISSING } from './pgbench';
import { benchmarksDocument, expectedPointIds, resultsTable, goalLines } from './report';
import { refreshChart, readsChart } from './chart';
import { Bench } from './scenarios';

/**
 * `npm run bench`: the hot paths against this machine's real limits, in one run — the API
 * over HTTP (autocannon) beside a framework-free reference server, pgbench running the API's
 * own prepared rotation statement, and raw argon2; plus device lists, bulk revocation and
 * query plans on million-row tables. Self-contained (embedded PostgreSQL in a temp folder,
 * servers on 127.0.0.1), bounded and cleaned up. See docs/benchmarks.md.
 */
const DATABASE = 'sessions_bench';
const DOCS = resolve(__dirname, '..', '..', '..', 'docs');

function filesystemName(dir: string): string {
  const names: Record<number, string> = {
    0xef53: 'ext4',
    0x58465342: 'xfs',
    0x9123683e: 'btrfs',
    0x01021994: 'tmpfs',
    0x794c7630: 'overlayfs',
  };
  try {
    const kind = statfsSync(dir).type;
    return names[kind] ?? `filesystem 0x${kind.toString(16)}`;
  } catch {
    return 'an unknown filesystem';
  }
}

async function run(options: BenchOptions, cleanup: Cleanup): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();

  log('starting an embedded PostgreSQL in a temp folder');
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-bench-'));
  cleanup.add('remove the temp folder', () => rmSync(dataDir, { recursive: true, force: true }));
  const workDir = mkdtempSync(join(tmpdir(), 'sessions-bench-work-'));
  cleanup.add('remove the work folder', () => rmSync(workDir, { recursive: true, force: true }));
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
  await ensureDatabase(postgres.url('postgres'), DATABASE);
  const databaseUrl = postgres.url(DATABASE);
  await runMigrations(databaseUrl);
  const meter = new CpuMeter(dataDir, availableParallelism());
  meter.groups['load'] = [process.pid];

  const db = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'sessions-bench', statement_timeout: 600_000 });
  db.on('error', (error) => log(`pg pool: ${error.message}`));
  cleanup.add('close the bench pool', () => (db.ended ? undefined : db.end()));

  const secrets = { access: randomBytes(32).toString('hex'), refresh: randomBytes(32).toString('hex') };
  const env = {
    // The pool `npm start` gives the API (apps/api/src/thread-pool.ts: ARGON2_CONCURRENCY + 2,
    // at least 4), set for the replicas and the raw argon2 worker alike: before, neither
    // imported thread-pool.ts, so both ran libuv's default 4 threads whatever the cores.
    UV_THREADPOOL_SIZE: process.env['UV_THREADPOOL_SIZE']?.trim() || String(threadPoolSize(process.env, availableParallelism())),
    BENCH_DATABASE_URL: databaseUrl,
    BENCH_ACCESS_SECRET: secrets.access,
    BENCH_REFRESH_SECRET: secrets.refresh,
    BENCH_POOL: String(options.poolSize),
  };
  const config = apiConfig(env);
  log('starting the API and the reference server');
  // Replica 2 starts now too (idle until the replica comparison): starting is the slow part.
  const [api, second, reference] = await Promise.all([
    ChildServer.start('API replica 1', 'api-server.ts', env),
    ChildServer.start('API replica 2', 'api-server.ts', env),
    ChildServer.start('reference server', 'reference-server.ts', {
      ...env,
      BENCH_IDLE_SECONDS: String(config.policy.idleMinutesDefault * 60),
      BENCH_ABSOLUTE_SECONDS: String(config.policy.absoluteMinutesDefault * 60),
    }),
  ]);
  cleanup.add('stop the API', () => api.stop());
  cleanup.add('stop API replica 2', () => second.stop());
  cleanup.add('stop the reference server', () => reference.stop());
  meter.groups['api'] = [api.pid];
  meter.groups['reference'] = [reference.pid];
  meter.groups['second'] = [second.pid];

  const pgbench = findPgbench();
  const notes: string[] = [];
  if (!pgbench) {
    log(PGBENCH_MISSING);
    notes.push(PGBENCH_MISSING);
  }

  const [{ version }] = (await db.query<{ version: string }>('SELECT version()')).rows;
  const settings: Record<string, string> = {};
  for (const name of ['shared_buffers', 'max_connections', 'synchronous_commit', 'fsync', 'wal_buffers', 'max_wal_size', 'work_mem']) {
    settings[name] = Object.values((await db.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[0];
  }
  const machine: MachineInfo = {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: totalmem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: version.replace(/ on .*$/, '').replace(/,.*$/, ''),
    pgbench: pgbench,
    postgresSettings: settings,
    dataDirFilesystem: filesystemName(dataDir),
    uvThreadpoolSize: await api.call<string>('uvThreadpoolSize', null),
    argon2: `argon2id m=${config.argon2.memoryKib} KiB, t=${config.argon2.iterations}, p=${config.argon2.parallelism}`,
    sessionCap: config.sessionMaxPerUser,
    loadAverage: loadavg()[0],
    backgroundCores: null,
  };

  // A quiet moment: what the rest of the machine is doing before we load it.
  const idleFrom = { cpu: meter.read(), own: processCpuSeconds() };
  await new Promise((resolveIdle) => setTimeout(resolveIdle, 1000));
  const idleTo = meter.read();
  const idle = meter.use(idleFrom.cpu, idleTo);
  const ownCores = (processCpuSeconds() - idleFrom.own) / ((idleTo.at - idleFrom.cpu.at) / 1000);
  const servers = (idle.groups['api'] ?? 0) + (idle.groups['reference'] ?? 0) + (idle.groups['second'] ?? 0);
  machine.backgroundCores =
    idle.machineCores === null ? null : Math.max(0, idle.machineCores - (idle.postgresCores ?? 0) - ownCores - servers);
  machine.loadAverage = loadavg()[0];
  log(`other processes keep ${machine.backgroundCores?.toFixed(2) ?? '?'} cores busy (load average ${machine.loadAverage.toFixed(1)})`);

  const passwordHash = await argon2Hash('bench-password-0123', {
    algorithm: Algorithm.Argon2id,
    memoryCost: config.argon2.memoryKib,
    timeCost: config.argon2.iterations,
    parallelism: config.argon2.parallelism,
  });
  const bench = new Bench({
    options,
    db,
    databaseUrl,
    dataDir: workDir,
    meter,
    api,
    second,
    reference,
    env,
    config,
    pgbench,
    passwordHash,
    cleanup,
  });
  await bench.all();

  const errors = [...bench.errors];
  const have = new Set([...bench.points, ...bench.once, ...bench.plans].map((p) => p.id));
  for (const id of expectedPointIds(options, pgbench !== null)) if (!have.has(id)) errors.push(`missing scenario ${id}`);
  for (const point of bench.points) {
    if (point.unexpected > 0) {
      errors.push(
        `${point.id}: ${point.unexpected} unexpected outcomes ${JSON.stringify(point.outcomes)}; first: ${point.failures.join(' | ')}`,
      );
    }
  }
  for (const once of bench.once) if (!once.ok) errors.push(`${once.id}: ${once.detail}`);
  for (const [server, path] of [
    [api, '/api/health'],
    [second, '/api/health'],
    [reference, '/'],
  ] as const) {
    if (server.exited) {
      errors.push(`${server.name} ${server.exited} during the run`);
      continue;
    }
    // Still answering at the end (a hung server answers nothing, which no window would show).
    try {
      await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(30_000) }).then((response) => response.text());
    } catch (error) {
      errors.push(`${server.name} does not answer at the end of the run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (errors.length) {
    log('last PostgreSQL log lines:');
    for (const line of pgLog) log(`  ${line}`);
  }
  return {
    startedAt,
    totalSeconds: (performance.now() - t0) / 1000,
    options,
    machine,
    points: bench.points,
    once: bench.once,
    plans: bench.plans,
    profile: bench.profile,
    notes: [...notes, ...bench.notes],
    errors,
  };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
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
  // Past this the run is stuck (generous: a busy CI machine is slow, not stuck): clean up and fail.
  const budgetMs = (options.quick ? 300 : 2400) * 1000;
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
    const report = await run(options, cleanup);
    process.stdout.write(`\n${resultsTable(report)}\n\n${goalLines(report).join('\n')}\n\n`);
    log(`${report.totalSeconds.toFixed(0)} s in all`);
    for (const error of report.errors) log(`ERROR ${error}`);
    if (options.write) {
      // Written even when the run failed: the errors head the document, so a failed run is never
      // mistaken for a clean one, and the figures that were measured are not lost.
      writeFileSync(join(DOCS, 'benchmarks.md'), benchmarksDocument(report));
      writeFileSync(join(DOCS, 'benchmarks-refresh.svg'), refreshChart(report));
      writeFileSync(join(DOCS, 'benchmarks-reads.svg'), readsChart(report));
      log(`wrote ${relative(process.cwd(), join(DOCS, 'benchmarks.md'))} and its two charts`);
    }
    if (report.errors.length) {
      log('FAILED');
      return 1;
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
