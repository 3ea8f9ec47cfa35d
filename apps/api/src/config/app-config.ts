import { BlockList } from 'node:net';
import { availableParallelism } from 'node:os';
import { assertValidBounds, PolicyBounds } from '@sessions/session-policy';
import { parseTrustedProxies } from '../devices/client-ip';
import { ConfigError } from './config-error';
import { loadOidcConfig, OidcConfig } from './oidc-config';

/** Argon2id cost. Production defaults are OWASP's (19 MiB, t=2, p=1). */
export interface Argon2Config {
  memoryKib: number;
  iterations: number;
  parallelism: number;
  /**
   * argon2 computations in flight at once (ARGON2_CONCURRENCY); more wait in line. One per
   * core: more threads hashing than cores only trade cache for context switches and starve
   * the event loop and PostgreSQL of the cores they share.
   */
  concurrency: number;
}

/**
 * Limits on guessing and flooding (issue 8). Sign-in counts *failures*, never
 * successes, so a user's own sign-ins cost nothing; see auth/sign-in-limiter.service.ts.
 */
export interface RateLimitConfig {
  /** How long sign-in failures are remembered; a pair or address over its limit is refused this long. */
  loginFailureWindowSeconds: number;
  /** Failures per (email, client address) before that pair is refused. */
  loginMaxFailuresPerPair: number;
  /** Failures per client address, across all emails (password spraying), before it is refused. */
  loginMaxFailuresPerAddress: number;
  /** Failures on one email (from anywhere) before addresses that failed on it must wait between tries. */
  loginEmailFreeFailures: number;
  /** First wait after the free failures; doubles with each further failure up to the max. */
  loginEmailDelayBaseSeconds: number;
  loginEmailDelayMaxSeconds: number;
  /** Wrong `current_password` answers per user before the password change is refused for the window. */
  passwordChangeMaxFailures: number;
  passwordChangeWindowSeconds: number;
  /** Sign-ups per client address per window. */
  signupMaxPerAddress: number;
  signupWindowSeconds: number;
  /** Refresh points per client address per window: a rotation costs 1, an invalid token 10. */
  refreshMaxPerAddress: number;
  refreshWindowSeconds: number;
  /**
   * Where the counters live: `postgres` (default) shares them between replicas;
   * `memory` keeps them per process (one replica only: N replicas would allow N times the limits).
   */
  store: 'postgres' | 'memory';
}

/** How long the API waits for PostgreSQL before answering 503 (issue 8, finding 5). */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection, including opening a new one. */
  connectMs: number;
  /** Client-side bound of one query: holds even when the server is frozen. */
  queryMs: number;
  /** Server-side bound of one statement (below `queryMs`, so a slow query is cancelled cleanly). */
  statementMs: number;
  /** Migrations, the expired-session sweep and bulk revocation. */
  slowMs: number;
}

/** Everything the API reads from its environment, validated once at start. */
export interface AppConfig {
  port: number;
  /** Unset means "start an embedded PostgreSQL" (see main.ts). */
  databaseUrl: string | undefined;
  /** The schema owner's connection for migrations; unset means DATABASE_URL migrates too. */
  databaseMigrationUrl: string | undefined;
  databaseTimeouts: DatabaseTimeouts;
  dataDir: string;
  embeddedPgPort: number | undefined;
  trustedProxies: BlockList | null;
  metricsAllow: BlockList;
  accessTokenSecret: string | undefined;
  refreshTokenSecret: string | undefined;
  accessTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  /** Live sessions one user may hold; a sign-in beyond it ends their least recently used one. */
  sessionMaxPerUser: number;
  /** How often expired sessions are marked ended; 0 disables the job. */
  sessionSweepIntervalSeconds: number;
  policy: PolicyBounds;
  argon2: Argon2Config;
  rateLimit: RateLimitConfig;
  logLevel: string;
  /**
   * Which requests get a `request completed` line (LOG_REQUESTS): `all`, `errors` (answers
   * of 400 and above, and requests slower than LOG_SLOW_REQUEST_MS), or `off`.
   */
  logRequests: 'all' | 'errors' | 'off';
  logSlowRequestMs: number;
  /** Adds `Secure` to the refresh cookie even on plain http (behind a TLS proxy). */
  secureCookies: boolean;
  /** Folder of the built console; unset means "next to the API bundle". */
  consoleDir: string | undefined;
  seedDemo: boolean;
  /** How long SIGTERM waits for requests in flight before cutting their connections. */
  shutdownDrainSeconds: number;
  /** Sign-in with OpenID Connect providers (issue 10); no provider configured → none offered. */
  oidc: OidcConfig;
}

export { ConfigError };

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `'${raw}' is not an integer`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `${value} is outside ${min}..${max}`);
  return value;
}

function optionalInt(env: Env, name: string, min: number, max: number): number | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : int(env, name, 0, min, max);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `'${env[name]}' is not one of ${values.join(', ')}`);
  return raw as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `'${env[name]}' is not a boolean (true/false)`);
}

function secret(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  // HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2).
  if (Buffer.byteLength(value) < 32) throw new ConfigError(name, 'must be at least 32 bytes long');
  return value;
}

function blockList(env: Env, name: string, fallback: string): BlockList {
  try {
    return parseTrustedProxies(env[name] ?? fallback) ?? new BlockList();
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
}

/** Variables of the old hard per-email lock (issue 8.7); refused so a stale setting is never silently ignored. */
const REPLACED_VARIABLES: Record<string, string> = {
  LOGIN_RATE_LIMIT_PER_IP: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
  LOGIN_RATE_LIMIT_PER_EMAIL: 'LOGIN_MAX_FAILURES_PER_PAIR and LOGIN_EMAIL_*',
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: 'LOGIN_FAILURE_WINDOW_SECONDS',
};

function rateLimits(env: Env): RateLimitConfig {
  for (const [name, replacement] of Object.entries(REPLACED_VARIABLES)) {
    if (env[name] !== undefined) throw new ConfigError(name, `is no longer read (sign-in limits count failures now); use ${replacement}`);
  }
  const config: RateLimitConfig = {
    loginFailureWindowSeconds: int(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 3600, 1, 86400 * 7),
    loginMaxFailuresPerPair: int(env, 'LOGIN_MAX_FAILURES_PER_PAIR', 10, 1, 1_000_000),
    loginMaxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 1_000_000),
    loginEmailFreeFailures: int(env, 'LOGIN_EMAIL_FREE_FAILURES', 5, 0, 1_000_000),
    loginEmailDelayBaseSeconds: int(env, 'LOGIN_EMAIL_DELAY_BASE_SECONDS', 5, 1, 86400),
    loginEmailDelayMaxSeconds: int(env, 'LOGIN_EMAIL_DELAY_MAX_SECONDS', 900, 1, 86400),
    passwordChangeMaxFailures: int(env, 'PASSWORD_CHANGE_MAX_FAILURES', 5, 1, 1_000_000),
    passwordChangeWindowSeconds: int(env, 'PASSWORD_CHANGE_WINDOW_SECONDS', 3600, 1, 86400),
    signupMaxPerAddress: int(env, 'SIGNUP_MAX_PER_ADDRESS', 10, 1, 1_000_000),
    signupWindowSeconds: int(env, 'SIGNUP_WINDOW_SECONDS', 3600, 1, 86400),
    refreshMaxPerAddress: int(env, 'REFRESH_MAX_PER_ADDRESS', 1200, 10, 100_000_000),
    refreshWindowSeconds: int(env, 'REFRESH_WINDOW_SECONDS', 60, 1, 3600),
    store: oneOf(env, 'RATE_LIMIT_STORE', ['postgres', 'memory'] as const, 'postgres'),
  };
  if (config.loginEmailDelayBaseSeconds > config.loginEmailDelayMaxSeconds) {
    throw new ConfigError('LOGIN_EMAIL_DELAY_BASE_SECONDS', 'must not exceed LOGIN_EMAIL_DELAY_MAX_SECONDS');
  }
  return config;
}

/** Reads and validates the configuration; throws {@link ConfigError} naming the bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = env['DATABASE_URL'] || undefined;
  const databaseMigrationUrl = env['DATABASE_MIGRATION_URL'] || undefined;
  for (const [name, url] of [
    ['DATABASE_URL', databaseUrl],
    ['DATABASE_MIGRATION_URL', databaseMigrationUrl],
  ] as const) {
    if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(name, 'must be a postgres:// or postgresql:// URL');
  }
  if (databaseMigrationUrl && !databaseUrl) throw new ConfigError('DATABASE_MIGRATION_URL', 'needs DATABASE_URL (the API role) too');
  const databaseTimeouts: DatabaseTimeouts = {
    connectMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS', 1000, 100, 60_000),
    queryMs: int(env, 'DATABASE_QUERY_TIMEOUT_MS', 1000, 100, 600_000),
    statementMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 800, 50, 600_000),
    slowMs: int(env, 'DATABASE_SLOW_QUERY_TIMEOUT_MS', 120_000, 1000, 3_600_000),
  };
  if (databaseTimeouts.statementMs > databaseTimeouts.queryMs) {
    throw new ConfigError('DATABASE_STATEMENT_TIMEOUT_MS', `must not exceed DATABASE_QUERY_TIMEOUT_MS (${databaseTimeouts.queryMs})`);
  }
  if (databaseTimeouts.slowMs < databaseTimeouts.queryMs) {
    throw new ConfigError('DATABASE_SLOW_QUERY_TIMEOUT_MS', `must be at least DATABASE_QUERY_TIMEOUT_MS (${databaseTimeouts.queryMs})`);
  }
  const policy: PolicyBounds = {
    idleMinutesDefault: int(env, 'SESSION_IDLE_MINUTES_DEFAULT', 4320, 1, 10_000_000),
    idleMinutesMin: int(env, 'SESSION_IDLE_MINUTES_MIN', 15, 1, 10_000_000),
    idleMinutesMax: int(env, 'SESSION_IDLE_MINUTES_MAX', 43200, 1, 10_000_000),
    absoluteMinutesDefault: int(env, 'SESSION_ABSOLUTE_MINUTES_DEFAULT', 20160, 1, 10_000_000),
    absoluteMinutesMin: int(env, 'SESSION_ABSOLUTE_MINUTES_MIN', 60, 1, 10_000_000),
    absoluteMinutesMax: int(env, 'SESSION_ABSOLUTE_MINUTES_MAX', 129600, 1, 10_000_000),
  };
  try {
    assertValidBounds(policy);
  } catch (error) {
    throw new ConfigError('SESSION_*_MINUTES_*', (error as Error).message);
  }
  let trustedProxies: BlockList | null;
  try {
    trustedProxies = parseTrustedProxies(env['TRUSTED_PROXIES']);
  } catch (error) {
    throw new ConfigError('TRUSTED_PROXIES', (error as Error).message);
  }
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    databaseMigrationUrl,
    databaseTimeouts,
    dataDir: env['DATA_DIR'] || './.data',
    embeddedPgPort: optionalInt(env, 'EMBEDDED_PG_PORT', 1, 65535),
    trustedProxies,
    metricsAllow: blockList(env, 'METRICS_ALLOW', '127.0.0.0/8,::1/128'),
    accessTokenSecret: secret(env, 'JWT_ACCESS_SECRET'),
    refreshTokenSecret: secret(env, 'JWT_REFRESH_SECRET'),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 300, 30, 3600),
    refreshReuseGraceSeconds: int(env, 'REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
    sessionMaxPerUser: int(env, 'SESSION_MAX_PER_USER', 50, 1, 10_000),
    sessionSweepIntervalSeconds: int(env, 'SESSION_SWEEP_INTERVAL_SECONDS', 60, 0, 86400),
    policy,
    argon2: {
      memoryKib: int(env, 'ARGON2_MEMORY_KIB', 19456, 1024, 1_048_576),
      iterations: int(env, 'ARGON2_ITERATIONS', 2, 1, 10),
      parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1, 16),
      concurrency: int(env, 'ARGON2_CONCURRENCY', availableParallelism(), 1, 256),
    },
    rateLimit: rateLimits(env),
    logLevel: env['LOG_LEVEL'] || 'info',
    logRequests: oneOf(env, 'LOG_REQUESTS', ['all', 'errors', 'off'] as const, 'all'),
    logSlowRequestMs: int(env, 'LOG_SLOW_REQUEST_MS', 1000, 1, 3_600_000),
    secureCookies: bool(env, 'SECURE_COOKIES', false),
    consoleDir: env['CONSOLE_DIR'] || undefined,
    seedDemo: bool(env, 'SEED_DEMO', true),
    shutdownDrainSeconds: int(env, 'SHUTDOWN_DRAIN_SECONDS', 10, 1, 300),
    oidc: loadOidcConfig(env, (name, fallback) => bool(env, name, fallback)),
  };
}

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
