import { availableParallelism } from 'node:os';
import { POLICY_MINUTES_CEILING } from '@sessions/session-policy';
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
    expect(config.argon2).toEqual({ memoryKib: 19456, iterations: 2, parallelism: 1, concurrency: availableParallelism() });
    expect(loadConfig({ ARGON2_CONCURRENCY: '3' }).argon2.concurrency).toBe(3);
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
    ['DATABASE_LISTEN_URL', 'mysql://x'],
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

  // Found pinning the config to the library (issue 13.1): with SESSION_ABSOLUTE_MINUTES_MAX=600000
  // an owner's PATCH of 600000 minutes passed validation and hit the schema's CHECK (1..525600): a 500.
  it.each(['SESSION_IDLE_MINUTES_MAX', 'SESSION_ABSOLUTE_MINUTES_MAX', 'SESSION_ABSOLUTE_MINUTES_DEFAULT'])(
    'refuses %s above what the database stores (POLICY_MINUTES_CEILING, one year)',
    (name) => {
      expect(() => loadConfig({ [name]: String(POLICY_MINUTES_CEILING + 1) })).toThrow(new RegExp(`^${name}: .*outside 1\\.\\.525600`));
      expect(() =>
        loadConfig({
          SESSION_IDLE_MINUTES_MAX: String(POLICY_MINUTES_CEILING),
          SESSION_ABSOLUTE_MINUTES_MAX: String(POLICY_MINUTES_CEILING),
        }),
      ).not.toThrow();
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

  it('requires a step-up after 10 minutes by default, configurable within a minute and a day (issue 15)', () => {
    expect(loadConfig({}).stepUpMaxAgeSeconds).toBe(600);
    expect(loadConfig({ STEP_UP_MAX_AGE_SECONDS: '300' }).stepUpMaxAgeSeconds).toBe(300);
    expect(() => loadConfig({ STEP_UP_MAX_AGE_SECONDS: '0' })).toThrow(/^STEP_UP_MAX_AGE_SECONDS/);
    expect(() => loadConfig({ STEP_UP_MAX_AGE_SECONDS: '86401' })).toThrow(/^STEP_UP_MAX_AGE_SECONDS/);
  });

  it('reads overrides', () => {
    const config = loadConfig({ PORT: '8080', SESSION_IDLE_MINUTES_DEFAULT: '60', TRUSTED_PROXIES: '10.0.0.0/8', SECURE_COOKIES: 'true' });
    expect(config.port).toBe(8080);
    expect(config.policy.idleMinutesDefault).toBe(60);
    expect(config.trustedProxies?.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(config.secureCookies).toBe(true);
  });

  it('reads blank values as before the move to envalid: unset, except METRICS_ALLOW (nobody)', () => {
    const config = loadConfig({
      PORT: '  ',
      DATABASE_URL: '',
      EMBEDDED_PG_PORT: '',
      JWT_ACCESS_SECRET: '',
      LOG_LEVEL: '',
      METRICS_ALLOW: '',
    });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.embeddedPgPort).toBeUndefined();
    expect(config.accessTokenSecret).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.metricsAllow.check('127.0.0.1', 'ipv4')).toBe(false);
    expect(() => loadConfig({ JWT_REFRESH_SECRET: '   ' })).toThrow(/^JWT_REFRESH_SECRET: must be at least 32 bytes/);
    expect(() => loadConfig({ METRICS_ALLOW: 'localhost' })).toThrow(/^METRICS_ALLOW: 'localhost' is not an IP address or CIDR$/);
  });

  describe('OpenID Connect providers', () => {
    const google = { OIDC_GOOGLE_CLIENT_ID: 'g-id', OIDC_GOOGLE_CLIENT_SECRET: 'g-secret', PUBLIC_URL: 'https://sessions.example.com' };

    it('offers none when none is configured', () => {
      expect(loadConfig({}).oidc).toEqual({ providers: [], publicUrl: undefined });
    });

    it('makes the Google preset from its client id and secret', () => {
      expect(loadConfig(google).oidc).toEqual({
        publicUrl: 'https://sessions.example.com',
        providers: [
          {
            id: 'google',
            displayName: 'Google',
            kind: 'google',
            issuer: 'https://accounts.google.com',
            clientId: 'g-id',
            clientSecret: 'g-secret',
            allowInsecure: false,
          },
        ],
      });
    });

    it.each([
      [undefined, 'https://login.microsoftonline.com/common/v2.0'],
      ['organizations', 'https://login.microsoftonline.com/organizations/v2.0'],
      ['8EAEF023-2B34-4DA1-9BAA-8BC8C9D6A490', 'https://login.microsoftonline.com/8eaef023-2b34-4da1-9baa-8bc8c9d6a490/v2.0'],
    ])('makes the Microsoft issuer from tenant %s as a bare issuer (so the {tenantid} rule applies)', (tenant, issuer) => {
      const config = loadConfig({ OIDC_MICROSOFT_CLIENT_ID: 'm-id', OIDC_MICROSOFT_TENANT: tenant, PUBLIC_URL: 'https://a.example' });
      expect(config.oidc.providers).toEqual([
        expect.objectContaining({ id: 'microsoft', kind: 'microsoft', issuer, clientSecret: undefined }),
      ]);
    });

    it('reads any other issuer listed in OIDC_PROVIDERS', () => {
      const config = loadConfig({
        OIDC_PROVIDERS: 'okta, acme-sso',
        OIDC_OKTA_ISSUER: 'https://acme.okta.com',
        OIDC_OKTA_CLIENT_ID: 'o',
        OIDC_OKTA_DISPLAY_NAME: 'Okta',
        OIDC_ACME_SSO_ISSUER: 'https://sso.acme.example/.well-known/openid-configuration',
        OIDC_ACME_SSO_CLIENT_ID: 'a',
        PUBLIC_URL: 'https://a.example',
      });
      expect(config.oidc.providers.map((p) => [p.id, p.displayName, p.issuer])).toEqual([
        ['okta', 'Okta', 'https://acme.okta.com/'],
        ['acme-sso', 'acme-sso', 'https://sso.acme.example/.well-known/openid-configuration'],
      ]);
    });

    it('allows a plain-http issuer only on loopback and only when asked', () => {
      const env = {
        OIDC_PROVIDERS: 'mock',
        OIDC_MOCK_ISSUER: 'http://127.0.0.1:9999',
        OIDC_MOCK_CLIENT_ID: 'm',
        PUBLIC_URL: 'http://localhost:3000',
      };
      expect(() => loadConfig(env)).toThrow(/^OIDC_MOCK_ISSUER: is plain http/);
      expect(loadConfig({ ...env, OIDC_ALLOW_INSECURE_LOOPBACK: 'true' }).oidc.providers[0]?.allowInsecure).toBe(true);
      expect(() => loadConfig({ ...env, OIDC_MOCK_ISSUER: 'http://idp.example', OIDC_ALLOW_INSECURE_LOOPBACK: 'true' })).toThrow(
        /^OIDC_MOCK_ISSUER: must be an https/,
      );
    });

    it.each([
      [{ OIDC_GOOGLE_CLIENT_ID: 'g', PUBLIC_URL: 'https://a.example' }, 'OIDC_GOOGLE_CLIENT_SECRET'],
      [{ OIDC_GOOGLE_CLIENT_SECRET: 's' }, 'OIDC_GOOGLE_CLIENT_ID'],
      [{ OIDC_GOOGLE_CLIENT_ID: 'g', OIDC_GOOGLE_CLIENT_SECRET: 's' }, 'PUBLIC_URL'],
      [{ ...google, PUBLIC_URL: 'http://sessions.example.com' }, 'PUBLIC_URL'],
      [{ ...google, PUBLIC_URL: 'https://sessions.example.com/app' }, 'PUBLIC_URL'],
      [{ OIDC_MICROSOFT_CLIENT_ID: 'm', OIDC_MICROSOFT_TENANT: 'not a tenant', PUBLIC_URL: 'https://a.example' }, 'OIDC_MICROSOFT_TENANT'],
      [{ OIDC_PROVIDERS: 'google', PUBLIC_URL: 'https://a.example' }, 'OIDC_PROVIDERS'],
      [{ OIDC_PROVIDERS: 'Bad_Id' }, 'OIDC_PROVIDERS'],
      [{ OIDC_PROVIDERS: 'okta' }, 'OIDC_OKTA_ISSUER'],
      [{ OIDC_PROVIDERS: 'okta', OIDC_OKTA_ISSUER: 'https://acme.okta.com' }, 'OIDC_OKTA_CLIENT_ID'],
      [{ OIDC_PROVIDERS: 'okta', OIDC_OKTA_ISSUER: 'https://acme.okta.com?x=1', OIDC_OKTA_CLIENT_ID: 'o' }, 'OIDC_OKTA_ISSUER'],
    ])('refuses %p naming %s', (env, variable) => {
      expect(() => loadConfig(env as Record<string, string>)).toThrow(new RegExp(`^${variable}:`));
    });
  });

  it('REQUIRE_EXPLICIT_CONFIG (the container image) refuses the embedded database and generated secrets (issue 14)', () => {
    const explicit = {
      REQUIRE_EXPLICIT_CONFIG: 'true',
      DATABASE_URL: 'postgresql://api:pw@db/sessions',
      JWT_ACCESS_SECRET: 'a'.repeat(32),
      JWT_REFRESH_SECRET: 'b'.repeat(32),
    };
    expect(loadConfig(explicit).databaseUrl).toBe(explicit.DATABASE_URL);
    for (const name of ['DATABASE_URL', 'JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET']) {
      expect(() => loadConfig({ ...explicit, [name]: '' })).toThrow(new RegExp(`^${name}: is required`));
    }
    expect(loadConfig({}).databaseUrl).toBeUndefined();
  });

  it('MIGRATE_ON_START=false leaves migrations to `main.js migrate`, only with an external database (issue 14)', () => {
    expect(loadConfig({}).migrateOnStart).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://api:pw@db/sessions', MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
    expect(() => loadConfig({ MIGRATE_ON_START: 'false' })).toThrow(/^MIGRATE_ON_START/);
  });

  it('DATABASE_LISTEN_URL gives the revocation listener a direct connection (PgBouncer in transaction mode)', () => {
    expect(loadConfig({}).databaseListenUrl).toBeUndefined();
    const env = {
      DATABASE_URL: 'postgresql://api:pw@pgbouncer:6432/sessions',
      DATABASE_LISTEN_URL: 'postgresql://api:pw@db:5432/sessions',
    };
    expect(loadConfig(env).databaseListenUrl).toBe(env.DATABASE_LISTEN_URL);
    expect(() => loadConfig({ DATABASE_LISTEN_URL: env.DATABASE_LISTEN_URL })).toThrow(/^DATABASE_LISTEN_URL/);
  });
});
