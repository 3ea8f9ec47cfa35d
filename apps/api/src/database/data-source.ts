import type { DataSourceOptions } from 'typeorm';
import type { DatabaseTimeouts } from '../config/app-config';
import { BoundedClient } from './bounded-client';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The defaults of DATABASE_*_TIMEOUT_MS (app-config.ts). */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 1000, queryMs: 1000, statementMs: 800, slowMs: 120_000 };

/**
 * The pg settings that bound every wait on PostgreSQL, so a request answers 503 in
 * about connect + query time when the server is gone or frozen (issue 8, finding 5):
 * - `connectionTimeoutMillis`: waiting for a pooled connection or opening one;
 * - `query_timeout`: client-side, holds even when the server cannot answer at all
 *   ({@link BoundedClient} then drops the connection);
 * - `statement_timeout`: server-side and a little shorter, so a merely slow statement is
 *   cancelled by PostgreSQL and the connection stays usable;
 * - TCP keepalive finds connections to a host that vanished from the network.
 */
export function poolBounds(timeouts: DatabaseTimeouts): Record<string, unknown> {
  return {
    Client: BoundedClient,
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
    statement_timeout: timeouts.statementMs,
    // A transaction left open (a client that vanished) must not hold row locks for long.
    idle_in_transaction_session_timeout: 10_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * One place that says how the API talks to PostgreSQL. The schema comes only from
 * the committed migrations (`synchronize` stays off); the suite fails on drift.
 */
export function dataSourceOptions(
  url: string,
  overrides: { poolSize?: number; timeouts?: DatabaseTimeouts; applicationName?: string } = {},
): DataSourceOptions {
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
      ...poolBounds(overrides.timeouts ?? DEFAULT_DATABASE_TIMEOUTS),
      application_name: overrides.applicationName ?? 'sessions-api',
    },
  };
}
