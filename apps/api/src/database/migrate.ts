import { DataSource } from 'typeorm';
import type { DatabaseTimeouts } from '../config/app-config';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS } from './data-source';
import { grantApiPrivileges, urlUser } from './roles';

/** Any stable number: the advisory lock that keeps concurrent starts from migrating twice. */
const MIGRATION_LOCK = 726_353_001;

/**
 * Applies pending migrations as the owner role of `migrationUrl`, then — when the API
 * connects as another role (`apiUrl`) — re-asserts that role's privileges (roles.ts).
 * Safe when several replicas start at once. Migrations get the slow-work time bound.
 */
export async function runMigrations(
  migrationUrl: string,
  options: { apiUrl?: string; timeouts?: DatabaseTimeouts } = {},
): Promise<string[]> {
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const slow: DatabaseTimeouts = { ...timeouts, queryMs: timeouts.slowMs, statementMs: timeouts.slowMs };
  const dataSource = new DataSource({
    ...dataSourceOptions(migrationUrl, { poolSize: 2, timeouts: slow, applicationName: 'sessions-migrate' }),
    logging: ['error'],
  });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  let applied: string[];
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    applied = (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    if (options.apiUrl && urlUser(options.apiUrl) !== urlUser(migrationUrl)) {
      await grantApiPrivileges(migrationUrl, urlUser(options.apiUrl));
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
  return applied;
}

/** Creates a database on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, owner?: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: adminUrl, logging: ['error'] });
  await dataSource.initialize();
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  try {
    const rows: unknown[] = await dataSource.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await dataSource.query(`CREATE DATABASE ${quote(name)}${owner ? ` OWNER ${quote(owner)}` : ''}`);
  } finally {
    await dataSource.destroy();
  }
}
