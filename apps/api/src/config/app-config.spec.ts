import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the contract values and OWASP argon2id parameters (19 MiB, t=2, p=1)', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./.data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.databaseMigrationUrl).toBeUndefined();
    expect(config.databaseTimeouts).toEqual({ connectMs: 1000, queryMs: 1000, statementMs: 800, slowMs: 120000 });
    expect(config.refreshReuseGraceSeconds).toBe(10);
    expect(config.sessionMaxPerUser).toBe(50);
    expect(config.accessTokenTtlSeconds).toBe(300);
    expect(config.argon2).toEqual({ memoryKib: 19456, iterations: 2, parallelism: 1 });
    expect(config.policy).toEqual({
      idleMinutesDefault: 4320,
      idleMinutesMin: 15,
      idleMinutesMax: 43200,
      absoluteMinutesDefault: 20160,
      absoluteMinutesMin: 60,
      absoluteMinutesMax: 129600,
    });
    expect(config.trustedProxies).toBeNull();
    expect(config.metricsAllow.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(config.metricsAllow.check('203.0.113.9', 'ipv4')).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_MIGRATION_URL', 'mysql://x'],
    ['DATABASE_QUERY_TIMEOUT_MS', '10'],
    ['DATABASE_CONNECT_TIMEOUT_MS', 'soon'],
    ['JWT_ACCESS_SECRET', 'too-short'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['REFRESH_REUSE_GRACE_SECONDS', '-1'],
    ['SECURE_COOKIES', 'maybe'],
  ])('names the variable when %s=%s is invalid', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });

  it('defaults the limits: failures counted per pair, address and email; generous refresh budget (issue 8)', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      loginFailureWindowSeconds: 3600,
      loginMaxFailuresPerPair: 10,
      loginMaxFailuresPerAddress: 100,
      loginEmailFreeFailures: 5,
      loginEmailDelayBaseSeconds: 5,
      loginEmailDelayMaxSeconds: 900,
      passwordChangeMaxFailures: 5,
      passwordChangeWindowSeconds: 3600,
      signupMaxPerAddress: 10,
      signupWindowSeconds: 3600,
      refreshMaxPerAddress: 1200,
      refreshWindowSeconds: 60,
      store: 'postgres',
    });
  });

  it('keeps the limit counters in PostgreSQL unless RATE_LIMIT_STORE=memory (issue 14)', () => {
    expect(loadConfig({ RATE_LIMIT_STORE: 'memory' }).rateLimit.store).toBe('memory');
    expect(loadConfig({ RATE_LIMIT_STORE: 'Postgres' }).rateLimit.store).toBe('postgres');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/^RATE_LIMIT_STORE/);
  });

  it.each([
    'LOGIN_MAX_FAILURES_PER_PAIR',
    'LOGIN_EMAIL_DELAY_MAX_SECONDS',
    'PASSWORD_CHANGE_MAX_FAILURES',
    'SIGNUP_MAX_PER_ADDRESS',
    'REFRESH_MAX_PER_ADDRESS',
  ])('names the variable when the limit %s is not a positive integer', (name) => {
    expect(() => loadConfig({ [name]: '0' })).toThrow(new RegExp(`^${name}`));
    expect(() => loadConfig({ [name]: '1.5' })).toThrow(new RegExp(`^${name}`));
  });

  it('refuses an email wait that starts above its cap', () => {
    expect(() => loadConfig({ LOGIN_EMAIL_DELAY_BASE_SECONDS: '60', LOGIN_EMAIL_DELAY_MAX_SECONDS: '30' })).toThrow(
      /^LOGIN_EMAIL_DELAY_BASE_SECONDS/,
    );
  });

  it.each(['LOGIN_RATE_LIMIT_PER_IP', 'LOGIN_RATE_LIMIT_PER_EMAIL', 'LOGIN_RATE_LIMIT_WINDOW_SECONDS'])(
    'refuses the replaced variable %s instead of silently ignoring it',
    (name) => {
      expect(() => loadConfig({ [name]: '10' })).toThrow(new RegExp(`^${name}: is no longer read.*use LOGIN_`));
    },
  );

  it('refuses inconsistent policy bounds', () => {
    expect(() => loadConfig({ SESSION_IDLE_MINUTES_MIN: '500', SESSION_IDLE_MINUTES_MAX: '100' })).toThrow(/SESSION_/);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES_DEFAULT: '30000', SESSION_ABSOLUTE_MINUTES_DEFAULT: '20000' })).toThrow(/SESSION_/);
  });

  it('keeps the statement bound under the query bound and the slow bound above it', () => {
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '500', DATABASE_STATEMENT_TIMEOUT_MS: '900' })).toThrow(
      /^DATABASE_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '5000', DATABASE_SLOW_QUERY_TIMEOUT_MS: '2000' })).toThrow(/^DATABASE_SLOW_QUERY/);
    expect(() => loadConfig({ DATABASE_MIGRATION_URL: 'postgres://owner@db/sessions' })).toThrow(/^DATABASE_MIGRATION_URL/);
  });

  it('reads overrides', () => {
    const config = loadConfig({ PORT: '8080', SESSION_IDLE_MINUTES_DEFAULT: '60', TRUSTED_PROXIES: '10.0.0.0/8', SECURE_COOKIES: 'true' });
    expect(config.port).toBe(8080);
    expect(config.policy.idleMinutesDefault).toBe(60);
    expect(config.trustedProxies?.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(config.secureCookies).toBe(true);
  });
});
