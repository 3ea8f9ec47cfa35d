import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import type { RuntimeConfig } from '../src/config/runtime-config';
import { API_ROLE, OWNER_ROLE } from '../src/database/roles';
import { TestClock } from './support/test-clock';

export { TestClock };

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  cookies: { name: string; value: string; [key: string]: unknown }[];
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Client address as seen through the trusted test proxy (X-Forwarded-For). */
  ip?: string;
  userAgent?: string;
  form?: Record<string, string>;
  cookies?: Record<string, string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  clock: TestClock;
  db: DataSource;
  config: RuntimeConfig;
  /** The API role's URL (what the app connects with). */
  databaseUrl: string;
  /** The owner role's URL, for tests about what only the owner may do. */
  ownerUrl: string;
  request<T = any>(method: string, url: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<T>>;
  get<T = any>(url: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  post<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<T>>;
  patch<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<T>>;
  delete<T = any>(url: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

let databases = 0;

/** URLs of one test database: as the least-privileged API role, and as the owner role. */
export interface TestDatabase {
  apiUrl: string;
  ownerUrl: string;
}

function roleUrl(adminUrl: string, database: string, user: string, password: string | undefined): string {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password ?? '';
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A fresh database cloned from the migrated template (tables, owners and table grants
 * are copied); full isolation per test file. Database-level grants are not copied, so
 * they are set here as on the embedded server.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env['TEST_PG_ADMIN_URL'];
  const template = process.env['TEST_PG_TEMPLATE'];
  if (!adminUrl || !template) throw new Error('the api jest globalSetup did not run (TEST_PG_ADMIN_URL unset)');
  const name = `t_${process.pid}_${++databases}_${randomBytes(3).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url: adminUrl });
  await admin.initialize();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" OWNER "${OWNER_ROLE}"`);
    await admin.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`);
    await admin.query(`GRANT CONNECT ON DATABASE "${name}" TO "${API_ROLE}"`);
  } finally {
    await admin.destroy();
  }
  return {
    apiUrl: roleUrl(adminUrl, name, API_ROLE, process.env['TEST_PG_API_PASSWORD']),
    ownerUrl: roleUrl(adminUrl, name, OWNER_ROLE, process.env['TEST_PG_OWNER_PASSWORD']),
  };
}

/** Configuration for tests: cheap argon2, quiet logs, the loopback proxy trusted for X-Forwarded-For. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): RuntimeConfig {
  const config = loadConfig({
    TRUSTED_PROXIES: '127.0.0.0/8,::1',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    LOG_LEVEL: 'silent',
    // Tests sweep explicitly (app.get(SessionSweeper).sweep()) so time stays under their control.
    SESSION_SWEEP_INTERVAL_SECONDS: '0',
    // Every test client shares loopback: limits stay out of the way unless a test sets its own.
    LOGIN_MAX_FAILURES_PER_PAIR: '100000',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    LOGIN_EMAIL_FREE_FAILURES: '100000',
    PASSWORD_CHANGE_MAX_FAILURES: '100000',
    SIGNUP_MAX_PER_ADDRESS: '100000',
    REFRESH_MAX_PER_ADDRESS: '100000000',
    // The production bounds (1 s) are about a frozen database; a CI machine with two busy
    // cores can starve a healthy one for longer. Specs of the bounds set their own.
    DATABASE_CONNECT_TIMEOUT_MS: '10000',
    DATABASE_QUERY_TIMEOUT_MS: '10000',
    DATABASE_STATEMENT_TIMEOUT_MS: '8000',
    ...env,
  });
  return {
    ...config,
    databaseUrl,
    accessTokenSecret: randomBytes(32).toString('hex'),
    refreshTokenSecret: randomBytes(32).toString('hex'),
    databasePoolSize: 10,
  };
}

/**
 * The real application (every module, guard, pipe and filter) on a fresh database,
 * driven through Fastify's inject: full HTTP semantics without a socket.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream; /** Another app's database: a second replica. */ database?: TestDatabase } = {},
): Promise<TestApp> {
  const { apiUrl: databaseUrl, ownerUrl } = options.database ?? (await createTestDatabase());
  const config = testConfig(databaseUrl, env);
  const clock = new TestClock();
  const app = await createApp(config, { clock, logStream: options.logStream });
  const db = app.get(DataSource);

  const request = async (method: string, url: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResponse> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.ip) headers['x-forwarded-for'] = options.ip;
    if (options.userAgent) headers['user-agent'] = options.userAgent;
    let payload: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await app.inject({ method: method as 'GET', url, headers, payload, cookies: options.cookies });
    const type = String(response.headers['content-type'] ?? '');
    const parsed = type.includes('json') && !type.includes('ndjson') && response.body ? JSON.parse(response.body) : response.body;
    return { status: response.statusCode, body: parsed, headers: response.headers, cookies: response.cookies as HttpResponse['cookies'] };
  };

  return {
    app,
    clock,
    db,
    config,
    databaseUrl,
    ownerUrl,
    request,
    get: (url, options) => request('GET', url, undefined, options),
    post: (url, body, options) => request('POST', url, body, options),
    patch: (url, body, options) => request('PATCH', url, body, options),
    delete: (url, options) => request('DELETE', url, undefined, options),
    close: () => app.close(),
  };
}
