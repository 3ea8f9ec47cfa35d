// First: sizes libuv's thread pool (argon2) before any import can start it.
import './thread-pool';
import 'reflect-metadata';
import { join } from 'node:path';
import pino from 'pino';
import { AccountsRepository } from './accounts/accounts.repository';
import { PasswordHasher } from './accounts/password-hasher';
import { UsersRepository } from './accounts/users.repository';
import { Transactions } from './database/transactions';
import { createApp, drainOf } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { loadOrCreateDevSecrets, RuntimeConfig } from './config/runtime-config';
import { EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded-database';
import { runMigrations } from './database/migrate';
import { apiRoleExcess } from './database/roles';
import { seedDemo } from './database/seed';

const DATABASE_NAME = 'sessions';

/**
 * `node main.js migrate`: apply pending migrations as DATABASE_MIGRATION_URL's role, grant
 * DATABASE_URL's role its privileges, exit. The Kubernetes migration Job runs this once per
 * rollout, and the replicas start with MIGRATE_ON_START=false (docs/adr/0016).
 */
async function migrateOnly(): Promise<void> {
  // The token secrets are none of the migration's business (the image requires them to serve).
  const config = loadConfig({ ...process.env, REQUIRE_EXPLICIT_CONFIG: 'false' });
  const log = pino({ level: config.logLevel, base: { component: 'migrate' } });
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required by `migrate` (the API role to grant privileges to)');
  const applied = await runMigrations(config.databaseMigrationUrl ?? config.databaseUrl, {
    apiUrl: config.databaseUrl,
    timeouts: config.databaseTimeouts,
  });
  log.info({ event: 'migrations.finished', applied }, applied.length ? `applied ${applied.join(', ')}` : 'schema up to date');
}

async function main(): Promise<void> {
  // On a terminal, startup's ~50 JSON lines would bury the banner: warnings and errors only,
  // unless LOG_LEVEL says otherwise. Piped or in a container, JSON at info as always.
  const terminal = process.stdout.isTTY === true && !process.env['LOG_LEVEL'];
  const config = loadConfig(terminal ? { ...process.env, LOG_LEVEL: 'warn' } : process.env);
  // Structured lines for what happens outside a request: the PostgreSQL supervisor, shutdown.
  const log = pino({ level: config.logLevel, base: { component: 'main' } });
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  let migrationUrl = config.databaseMigrationUrl ?? config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      database: DATABASE_NAME,
      port: config.embeddedPgPort,
      // PostgreSQL's own errors (port in use, bad permissions) must reach the operator.
      log: (line) => {
        if (/FATAL|PANIC|ERROR/.test(line)) process.stderr.write(`postgres: ${line}\n`);
      },
      onSupervisorEvent: (event) =>
        event.event === 'postgres.restarted'
          ? log.warn(event, 'embedded PostgreSQL restarted')
          : log.error(event, 'embedded PostgreSQL stopped; restarting'),
      onPasswordRotated: () =>
        log.warn({ event: 'postgres.password_rotated' }, 'replaced the fixed superuser password of an older data folder'),
    });
    databaseUrl = embedded.apiUrl;
    migrationUrl = embedded.migrationUrl;
  }
  const secrets =
    config.accessTokenSecret && config.refreshTokenSecret
      ? { access: config.accessTokenSecret, refresh: config.refreshTokenSecret }
      : loadOrCreateDevSecrets(config.dataDir);
  const runtime: RuntimeConfig = {
    ...config,
    databaseUrl,
    accessTokenSecret: secrets.access,
    refreshTokenSecret: secrets.refresh,
    databasePoolSize: 20,
  };

  // With MIGRATE_ON_START=false a separate step (the migration Job) has migrated before the rollout.
  const applied = config.migrateOnStart
    ? await runMigrations(migrationUrl ?? databaseUrl, { apiUrl: databaseUrl, timeouts: config.databaseTimeouts })
    : null;
  const excess = await apiRoleExcess(databaseUrl).catch(() => []);
  if (excess.length) {
    log.warn(
      { event: 'database.api_role_privileged', excess },
      'DATABASE_URL connects as a role with more than the API needs (docs/operations.md)',
    );
  }
  const app = await createApp(runtime);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Last resort if a hook hangs: never leave a half-stopped process behind.
    setTimeout(
      () => {
        log.error({ event: 'shutdown.timeout' }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      },
      (config.shutdownDelaySeconds + config.shutdownDrainSeconds + 15) * 1000,
    ).unref();
    const drain = drainOf(app);
    // Readiness red first; with SHUTDOWN_DELAY_SECONDS the replica keeps serving while the
    // balancer notices, so nothing is refused before routing stopped (docs/scaling.md).
    drain.begin();
    if (config.shutdownDelaySeconds > 0) {
      log.info({ event: 'shutdown.delay', signal, seconds: config.shutdownDelaySeconds }, 'readiness red; still serving');
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000));
    }
    log.info({ event: 'shutdown.started', signal }, 'draining connections');
    const { forced } = await drain.run(app.getHttpServer(), config.shutdownDrainSeconds * 1000);
    await app.close().catch((error: unknown) => log.error({ err: error }, 'error while closing the application'));
    await embedded?.server.stop().catch(() => undefined);
    log.info({ event: 'shutdown.finished', forced }, 'stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // A closed terminal: PostgreSQL, in its own process group and session, does not get this one.
  process.once('SIGHUP', () => void shutdown('SIGHUP'));

  // Demo users only on the embedded database unless SEED_DEMO says otherwise.
  const seed = process.env['SEED_DEMO'] !== undefined ? config.seedDemo : embedded !== null;
  const demo = seed
    ? await seedDemo(
        { transactions: app.get(Transactions), accounts: app.get(AccountsRepository), users: app.get(UsersRepository) },
        app.get(PasswordHasher),
        config.dataDir,
      )
    : [];
  await app.listen({ port: config.port, host: '0.0.0.0' });

  const base = `http://localhost:${config.port}`;
  const lines = [
    '',
    `Sessions is running: ${base}/`,
    `  Swagger UI:  ${base}/api/docs   (OpenAPI: ${base}/api/docs-json)`,
    `  Health:      ${base}/api/health   Metrics: ${base}/api/metrics`,
    `  Database:    ${embedded ? `embedded PostgreSQL on port ${embedded.server.port} (data in ${join(config.dataDir, 'pg')})` : 'DATABASE_URL'}`,
    applied === null
      ? '  Migrations: left to `main.js migrate` (MIGRATE_ON_START=false)'
      : applied.length
        ? `  Migrations applied: ${applied.join(', ')}`
        : '  Schema up to date',
  ];
  if (terminal) lines.push('  Logs:        warnings and errors only on a terminal (LOG_LEVEL=info for every request, as JSON)');
  if (demo.length) {
    lines.push('  Demo sign-ins (account "Demo Co"):');
    for (const user of demo) lines.push(`    ${user.role.padEnd(8)} ${user.email.padEnd(22)} ${user.password}`);
  }
  lines.push('  Stop with Ctrl-C.');
  process.stdout.write(lines.join('\n') + '\n\n');
}

const command = process.argv[2];
if (command !== undefined && command !== 'migrate') {
  process.stderr.write(`Unknown command '${command}': run without arguments to serve, or with \`migrate\` to migrate and exit.\n`);
  process.exit(2);
}
(command === 'migrate' ? migrateOnly().then(() => process.exit(0)) : main()).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
