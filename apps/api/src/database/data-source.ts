import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * One place that says how the API talks to PostgreSQL. The schema comes only from
 * the committed migrations (`synchronize` stays off); the suite fails on drift.
 */
export function dataSourceOptions(url: string, overrides: { poolSize?: number } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    logging: ['error', 'warn', 'migration'],
    extra: {
      max: overrides.poolSize ?? 20,
      connectionTimeoutMillis: 5000,
      // A statement that hangs must not hold a request forever.
      statement_timeout: 15000,
      application_name: 'sessions-api',
    },
  };
}
