import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PasswordHasher } from './accounts/password-hasher';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { loadOrCreateDevSecrets, RuntimeConfig } from './config/runtime-config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { ensureDatabase, runMigrations } from './database/migrate';
import { seedDemo } from './database/seed';

const DATABASE_NAME = 'sessions';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  let embedded: EmbeddedPostgresHandle | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(config.dataDir, 'pg'),
      port: config.embeddedPgPort,
      // PostgreSQL's own errors (port in use, bad permissions) must reach the operator.
      log: (line) => {
        if (/FATAL|PANIC|ERROR/.test(line)) process.stderr.write(`postgres: ${line}\n`);
      },
    });
    await ensureDatabase(embedded.url('postgres'), DATABASE_NAME);
    databaseUrl = embedded.url(DATABASE_NAME);
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

  const applied = await runMigrations(databaseUrl);
  const app = await createApp(runtime);
  const shutdown = async () => {
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());

  // Demo users only on the embedded database unless SEED_DEMO says otherwise.
  const seed = process.env['SEED_DEMO'] !== undefined ? config.seedDemo : embedded !== null;
  const demo = seed ? await seedDemo(app.get(DataSource), app.get(PasswordHasher), config.dataDir) : [];
  await app.listen({ port: config.port, host: '0.0.0.0' });

  const base = `http://localhost:${config.port}`;
  const lines = [
    '',
    `Sessions is running: ${base}/`,
    `  Swagger UI:  ${base}/api/docs   (OpenAPI: ${base}/api/docs-json)`,
    `  Health:      ${base}/api/health   Metrics: ${base}/api/metrics`,
    `  Database:    ${embedded ? `embedded PostgreSQL on port ${embedded.port} (data in ${join(config.dataDir, 'pg')})` : 'DATABASE_URL'}`,
    applied.length ? `  Migrations applied: ${applied.join(', ')}` : '  Schema up to date',
  ];
  if (demo.length) {
    lines.push('  Demo sign-ins (account "Demo Co"):');
    for (const user of demo) lines.push(`    ${user.role.padEnd(8)} ${user.email.padEnd(22)} ${user.password}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
