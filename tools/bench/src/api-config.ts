import { loadConfig } from '../../../apps/api/src/config/app-config';
import type { RuntimeConfig } from '../../../apps/api/src/config/runtime-config';

/**
 * The API's configuration in the bench: production defaults (argon2, policy, token TTLs,
 * session cap, the PostgreSQL-backed rate limiter); only the logs are silenced, the database
 * bounds widened and the per-address refresh limit lifted, because every simulated client comes from 127.0.0.1 —
 * the limiter still runs on every refresh, so its cost stays in the figures.
 */
export const API_ENV = {
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'false',
  REFRESH_MAX_PER_ADDRESS: '100000000',
  // Generous database bounds, as in the tests: a busy machine is not a frozen database, and a
  // 503 from a bound would fail the run on a timing. The bounds themselves have their own specs.
  DATABASE_CONNECT_TIMEOUT_MS: '30000',
  DATABASE_QUERY_TIMEOUT_MS: '30000',
  DATABASE_STATEMENT_TIMEOUT_MS: '25000',
  DATABASE_SLOW_QUERY_TIMEOUT_MS: '600000',
} as const;

export function apiConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (the bench starts this process)`);
    return value;
  };
  return {
    ...loadConfig({ ...API_ENV }),
    databaseUrl: need('BENCH_DATABASE_URL'),
    accessTokenSecret: need('BENCH_ACCESS_SECRET'),
    refreshTokenSecret: need('BENCH_REFRESH_SECRET'),
    databasePoolSize: Number(need('BENCH_POOL')),
  };
}
