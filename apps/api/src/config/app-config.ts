import { BlockList } from 'node:net';
import { availableParallelism } from 'node:os';
import { assertValidBounds, POLICY_MINUTES_CEILING, PolicyBounds, SYSTEM_POLICY_BOUNDS } from '@sessions/session-policy';
import { cleanEnv, makeValidator } from 'envalid';
import { parseTrustedProxies } from '../common/client-ip';
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
  /**
   * The revocation listener's connection (LISTEN holds a session): a direct one when
   * DATABASE_URL goes through a transaction-mode pooler. Unset means DATABASE_URL.
   */
  databaseListenUrl: string | undefined;
  /** Apply pending migrations at start; off when a separate step (`main.js migrate`, a Kubernetes Job) does it. */
  migrateOnStart: boolean;
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
  /**
   * How recent an authentication (sign-in or step-up) the sensitive endpoints require,
   * in seconds (issue 15, ADR 0018).
   */
  stepUpMaxAgeSeconds: number;
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
  /** After SIGTERM, how long readiness is red while the replica still accepts, before the drain. */
  shutdownDelaySeconds: number;
  /** Sign-in with OpenID Connect providers (issue 10); no provider configured → none offered. */
  oidc: OidcConfig;
}

export { ConfigError };

type Env = Record<string, string | undefined>;

// envalid validators. A parser throws a plain Error; the reporter turns the first one into a
// ConfigError, whose message starts with the variable's name. Defaults are not parsed.

/** An integer in min..max; blank means the default. */
const integer = (fallback: number, min: number, max: number) =>
  makeValidator<number>((raw) => {
    const text = raw.trim();
    if (text === '') return fallback;
    if (!/^-?\d+$/.test(text)) throw new Error(`'${raw}' is not an integer`);
    const value = Number(text);
    if (value < min || value > max) throw new Error(`${value} is outside ${min}..${max}`);
    return value;
  })({ default: fallback });

/** An optional integer in min..max (unset or empty: undefined). */
const optionalInteger = (min: number, max: number) =>
  makeValidator<number>((raw) => {
    const value = Number(raw.trim());
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`'${raw}' is not an integer`);
    if (value < min || value > max) throw new Error(`${value} is outside ${min}..${max}`);
    return value;
  })({ default: undefined });

/** One of `values`, case-insensitive; blank means the default. */
const oneOf = <T extends string>(values: readonly T[], fallback: T) =>
  makeValidator<T>((raw) => {
    const value = raw.trim().toLowerCase();
    if (value === '') return fallback;
    if (!(values as readonly string[]).includes(value)) throw new Error(`'${raw}' is not one of ${values.join(', ')}`);
    return value as T;
  })({ default: fallback });

/** true/false (also 1/0, yes/no, on/off); blank means the default. Also used for the OIDC variables. */
function parseFlag(raw: string, fallback: boolean): boolean {
  const value = raw.trim().toLowerCase();
  if (value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new Error(`'${raw}' is not a boolean (true/false)`);
}
const flag = (fallback: boolean) => makeValidator<boolean>((raw) => parseFlag(raw, fallback))({ default: fallback });

/** An HS256 key: shorter than the hash output weakens the MAC (RFC 7518 §3.2). Unset: generated (runtime-config). */
const secret = makeValidator<string>((value) => {
  if (Buffer.byteLength(value) < 32) throw new Error('must be at least 32 bytes long');
  return value;
});

const postgresUrl = makeValidator<string>((url) => {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('must be a postgres:// or postgresql:// URL');
  return url;
});

/** A comma-separated list of addresses and CIDR ranges (wrapped: envalid refuses a null result). */
const addressList = makeValidator<{ list: BlockList | null }>((value) => {
  try {
    return { list: parseTrustedProxies(value) };
  } catch (error) {
    // The parser names TRUSTED_PROXIES; the ConfigError names the variable actually read.
    throw new Error((error as Error).message.replace(/^TRUSTED_PROXIES: /, ''));
  }
});

const text = makeValidator<string>((value) => value);

/** Variables where an empty value means unset (their default). */
const EMPTY_IS_UNSET = [
  'DATABASE_URL',
  'DATABASE_MIGRATION_URL',
  'DATABASE_LISTEN_URL',
  'DATA_DIR',
  'EMBEDDED_PG_PORT',
  'JWT_ACCESS_SECRET',
  'JWT_REFRESH_SECRET',
  'LOG_LEVEL',
  'CONSOLE_DIR',
] as const;

// Defaults and the ceiling are the library's; the ceiling is also the schema's CHECK on stored minutes.
const bounds = SYSTEM_POLICY_BOUNDS;
const SPECS = {
  PORT: integer(3000, 0, 65535),
  DATABASE_URL: postgresUrl({ default: undefined }),
  DATABASE_MIGRATION_URL: postgresUrl({ default: undefined }),
  DATABASE_LISTEN_URL: postgresUrl({ default: undefined }),
  MIGRATE_ON_START: flag(true),
  REQUIRE_EXPLICIT_CONFIG: flag(false),
  DATABASE_CONNECT_TIMEOUT_MS: integer(1000, 100, 60_000),
  DATABASE_QUERY_TIMEOUT_MS: integer(1000, 100, 600_000),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(800, 50, 600_000),
  DATABASE_SLOW_QUERY_TIMEOUT_MS: integer(120_000, 1000, 3_600_000),
  SESSION_IDLE_MINUTES_DEFAULT: integer(bounds.idleMinutesDefault, 1, POLICY_MINUTES_CEILING),
  SESSION_IDLE_MINUTES_MIN: integer(bounds.idleMinutesMin, 1, POLICY_MINUTES_CEILING),
  SESSION_IDLE_MINUTES_MAX: integer(bounds.idleMinutesMax, 1, POLICY_MINUTES_CEILING),
  SESSION_ABSOLUTE_MINUTES_DEFAULT: integer(bounds.absoluteMinutesDefault, 1, POLICY_MINUTES_CEILING),
  SESSION_ABSOLUTE_MINUTES_MIN: integer(bounds.absoluteMinutesMin, 1, POLICY_MINUTES_CEILING),
  SESSION_ABSOLUTE_MINUTES_MAX: integer(bounds.absoluteMinutesMax, 1, POLICY_MINUTES_CEILING),
  TRUSTED_PROXIES: addressList({ default: { list: null } }),
  METRICS_ALLOW: addressList({ default: { list: parseTrustedProxies('127.0.0.0/8,::1/128') } }),
  DATA_DIR: text({ default: './.data' }),
  EMBEDDED_PG_PORT: optionalInteger(1, 65535),
  JWT_ACCESS_SECRET: secret({ default: undefined }),
  JWT_REFRESH_SECRET: secret({ default: undefined }),
  ACCESS_TOKEN_TTL_SECONDS: integer(300, 30, 3600),
  REFRESH_REUSE_GRACE_SECONDS: integer(10, 0, 300),
  SESSION_MAX_PER_USER: integer(50, 1, 10_000),
  // At least a minute: the console's retry must land inside the window it just opened.
  // At most a day (better-auth's freshAge default): longer is no longer "recent" (ADR 0018).
  STEP_UP_MAX_AGE_SECONDS: integer(600, 60, 86400),
  SESSION_SWEEP_INTERVAL_SECONDS: integer(60, 0, 86400),
  ARGON2_MEMORY_KIB: integer(19456, 1024, 1_048_576),
  ARGON2_ITERATIONS: integer(2, 1, 10),
  ARGON2_PARALLELISM: integer(1, 1, 16),
  ARGON2_CONCURRENCY: integer(availableParallelism(), 1, 256),
  LOGIN_FAILURE_WINDOW_SECONDS: integer(3600, 1, 86400 * 7),
  LOGIN_MAX_FAILURES_PER_PAIR: integer(10, 1, 1_000_000),
  LOGIN_MAX_FAILURES_PER_ADDRESS: integer(100, 1, 1_000_000),
  LOGIN_EMAIL_FREE_FAILURES: integer(5, 0, 1_000_000),
  LOGIN_EMAIL_DELAY_BASE_SECONDS: integer(5, 1, 86400),
  LOGIN_EMAIL_DELAY_MAX_SECONDS: integer(900, 1, 86400),
  PASSWORD_CHANGE_MAX_FAILURES: integer(5, 1, 1_000_000),
  PASSWORD_CHANGE_WINDOW_SECONDS: integer(3600, 1, 86400),
  SIGNUP_MAX_PER_ADDRESS: integer(10, 1, 1_000_000),
  SIGNUP_WINDOW_SECONDS: integer(3600, 1, 86400),
  REFRESH_MAX_PER_ADDRESS: integer(1200, 10, 100_000_000),
  REFRESH_WINDOW_SECONDS: integer(60, 1, 3600),
  RATE_LIMIT_STORE: oneOf(['postgres', 'memory'] as const, 'postgres'),
  LOG_LEVEL: text({ default: 'info' }),
  LOG_REQUESTS: oneOf(['all', 'errors', 'off'] as const, 'all'),
  LOG_SLOW_REQUEST_MS: integer(1000, 1, 3_600_000),
  SECURE_COOKIES: flag(false),
  CONSOLE_DIR: text({ default: undefined }),
  SEED_DEMO: flag(true),
  SHUTDOWN_DRAIN_SECONDS: integer(10, 1, 300),
  SHUTDOWN_DELAY_SECONDS: integer(0, 0, 120),
};

/** Variables of the old hard per-email lock (issue 8.7); refused so a stale setting is never silently ignored. */
const REPLACED_VARIABLES: Record<string, string> = {
  LOGIN_RATE_LIMIT_PER_IP: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
  LOGIN_RATE_LIMIT_PER_EMAIL: 'LOGIN_MAX_FAILURES_PER_PAIR and LOGIN_EMAIL_*',
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: 'LOGIN_FAILURE_WINDOW_SECONDS',
};

/** envalid with our error: the first bad variable (in the order of SPECS) as a ConfigError. */
function validated(env: Env) {
  const input: Env = {};
  for (const name of Object.keys(SPECS)) input[name] = env[name];
  for (const name of EMPTY_IS_UNSET) if (input[name] === '') input[name] = undefined;
  // A blank optional port means unset (envalid refuses a parser that returns nothing).
  if (input['EMBEDDED_PG_PORT']?.trim() === '') input['EMBEDDED_PG_PORT'] = undefined;
  return cleanEnv(input, SPECS, {
    reporter: ({ errors }) => {
      const [name, error] = Object.entries(errors)[0] ?? [];
      if (name !== undefined && error !== undefined) throw new ConfigError(name, error.message);
    },
  });
}

/** Reads and validates the configuration; throws {@link ConfigError} naming the bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  for (const [name, replacement] of Object.entries(REPLACED_VARIABLES)) {
    if (env[name] !== undefined) throw new ConfigError(name, `is no longer read (sign-in limits count failures now); use ${replacement}`);
  }
  const v = validated(env);
  if (v.DATABASE_MIGRATION_URL && !v.DATABASE_URL) throw new ConfigError('DATABASE_MIGRATION_URL', 'needs DATABASE_URL (the API role) too');
  if (v.DATABASE_LISTEN_URL && !v.DATABASE_URL) throw new ConfigError('DATABASE_LISTEN_URL', 'needs DATABASE_URL too');
  // The embedded PostgreSQL and generated token secrets are development conveniences: in a
  // container each replica would get its own throwaway database and its own keys (tokens
  // refused by every other replica). The image sets REQUIRE_EXPLICIT_CONFIG=true.
  if (v.REQUIRE_EXPLICIT_CONFIG) {
    for (const name of ['DATABASE_URL', 'JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET']) {
      if (!env[name]) throw new ConfigError(name, 'is required (REQUIRE_EXPLICIT_CONFIG=true: no embedded database, no generated secrets)');
    }
  }
  if (!v.MIGRATE_ON_START && !v.DATABASE_URL)
    throw new ConfigError('MIGRATE_ON_START', 'false needs DATABASE_URL (the embedded database always migrates)');
  const databaseTimeouts: DatabaseTimeouts = {
    connectMs: v.DATABASE_CONNECT_TIMEOUT_MS,
    queryMs: v.DATABASE_QUERY_TIMEOUT_MS,
    statementMs: v.DATABASE_STATEMENT_TIMEOUT_MS,
    slowMs: v.DATABASE_SLOW_QUERY_TIMEOUT_MS,
  };
  if (databaseTimeouts.statementMs > databaseTimeouts.queryMs) {
    throw new ConfigError('DATABASE_STATEMENT_TIMEOUT_MS', `must not exceed DATABASE_QUERY_TIMEOUT_MS (${databaseTimeouts.queryMs})`);
  }
  if (databaseTimeouts.slowMs < databaseTimeouts.queryMs) {
    throw new ConfigError('DATABASE_SLOW_QUERY_TIMEOUT_MS', `must be at least DATABASE_QUERY_TIMEOUT_MS (${databaseTimeouts.queryMs})`);
  }
  const policy: PolicyBounds = {
    idleMinutesDefault: v.SESSION_IDLE_MINUTES_DEFAULT,
    idleMinutesMin: v.SESSION_IDLE_MINUTES_MIN,
    idleMinutesMax: v.SESSION_IDLE_MINUTES_MAX,
    absoluteMinutesDefault: v.SESSION_ABSOLUTE_MINUTES_DEFAULT,
    absoluteMinutesMin: v.SESSION_ABSOLUTE_MINUTES_MIN,
    absoluteMinutesMax: v.SESSION_ABSOLUTE_MINUTES_MAX,
  };
  try {
    assertValidBounds(policy);
  } catch (error) {
    throw new ConfigError('SESSION_*_MINUTES_*', (error as Error).message);
  }
  const rateLimit: RateLimitConfig = {
    loginFailureWindowSeconds: v.LOGIN_FAILURE_WINDOW_SECONDS,
    loginMaxFailuresPerPair: v.LOGIN_MAX_FAILURES_PER_PAIR,
    loginMaxFailuresPerAddress: v.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginEmailFreeFailures: v.LOGIN_EMAIL_FREE_FAILURES,
    loginEmailDelayBaseSeconds: v.LOGIN_EMAIL_DELAY_BASE_SECONDS,
    loginEmailDelayMaxSeconds: v.LOGIN_EMAIL_DELAY_MAX_SECONDS,
    passwordChangeMaxFailures: v.PASSWORD_CHANGE_MAX_FAILURES,
    passwordChangeWindowSeconds: v.PASSWORD_CHANGE_WINDOW_SECONDS,
    signupMaxPerAddress: v.SIGNUP_MAX_PER_ADDRESS,
    signupWindowSeconds: v.SIGNUP_WINDOW_SECONDS,
    refreshMaxPerAddress: v.REFRESH_MAX_PER_ADDRESS,
    refreshWindowSeconds: v.REFRESH_WINDOW_SECONDS,
    store: v.RATE_LIMIT_STORE,
  };
  if (rateLimit.loginEmailDelayBaseSeconds > rateLimit.loginEmailDelayMaxSeconds) {
    throw new ConfigError('LOGIN_EMAIL_DELAY_BASE_SECONDS', 'must not exceed LOGIN_EMAIL_DELAY_MAX_SECONDS');
  }
  return {
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    databaseMigrationUrl: v.DATABASE_MIGRATION_URL,
    databaseListenUrl: v.DATABASE_LISTEN_URL,
    migrateOnStart: v.MIGRATE_ON_START,
    databaseTimeouts,
    dataDir: v.DATA_DIR,
    embeddedPgPort: v.EMBEDDED_PG_PORT,
    trustedProxies: v.TRUSTED_PROXIES.list,
    // An empty METRICS_ALLOW lets nobody in.
    metricsAllow: v.METRICS_ALLOW.list ?? new BlockList(),
    accessTokenSecret: v.JWT_ACCESS_SECRET,
    refreshTokenSecret: v.JWT_REFRESH_SECRET,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshReuseGraceSeconds: v.REFRESH_REUSE_GRACE_SECONDS,
    sessionMaxPerUser: v.SESSION_MAX_PER_USER,
    stepUpMaxAgeSeconds: v.STEP_UP_MAX_AGE_SECONDS,
    sessionSweepIntervalSeconds: v.SESSION_SWEEP_INTERVAL_SECONDS,
    policy,
    argon2: {
      memoryKib: v.ARGON2_MEMORY_KIB,
      iterations: v.ARGON2_ITERATIONS,
      parallelism: v.ARGON2_PARALLELISM,
      concurrency: v.ARGON2_CONCURRENCY,
    },
    rateLimit,
    logLevel: v.LOG_LEVEL,
    logRequests: v.LOG_REQUESTS,
    logSlowRequestMs: v.LOG_SLOW_REQUEST_MS,
    secureCookies: v.SECURE_COOKIES,
    consoleDir: v.CONSOLE_DIR,
    seedDemo: v.SEED_DEMO,
    shutdownDrainSeconds: v.SHUTDOWN_DRAIN_SECONDS,
    shutdownDelaySeconds: v.SHUTDOWN_DELAY_SECONDS,
    oidc: loadOidcConfig(env, (name, fallback) => {
      try {
        return parseFlag(env[name] ?? '', fallback);
      } catch (error) {
        throw new ConfigError(name, (error as Error).message);
      }
    }),
  };
}

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
