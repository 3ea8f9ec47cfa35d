import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

/** Any stable number: the advisory lock that keeps concurrent starts from migrating twice. */
const MIGRATION_LOCK = 726_353_001;

/** Applies pending migrations; safe when several replicas start at once. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(databaseUrl, { poolSize: 2 }), logging: ['error'] });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

/** Creates a database on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: adminUrl, logging: ['error'] });
  await dataSource.initialize();
  try {
    const rows: unknown[] = await dataSource.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await dataSource.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await dataSource.destroy();
  }
}
