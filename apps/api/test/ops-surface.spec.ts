import { DataSource } from 'typeorm';
import { signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('ops surface: health, metrics, OpenAPI, unknown routes (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('ops surface', () => {
    it('reports health with a live database', async () => {
      const response = await t.get('/api/health');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'ok', database: 'up' });
    });

    it('serves Prometheus metrics to loopback, with request latencies', async () => {
      await t.get('/api/health');
      const response = await t.get('/api/metrics');
      expect(response.status).toBe(200);
      expect(String(response.headers['content-type'])).toContain('text/plain');
      expect(response.body).toContain('http_request_duration_seconds_bucket');
      expect(response.body).toContain('route="/api/health"');
    });

    it('publishes the OpenAPI document with the OAuth2 password flow wired to /api/auth/login', async () => {
      const response = await t.get('/api/docs-json');
      expect(response.status).toBe(200);
      expect(response.body.components.securitySchemes.oauth2.flows.password.tokenUrl).toBe('/api/auth/login');
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/auth/signup', '/api/accounts/me/members']),
      );
    });

    it('answers an unknown route with a problem+json 404', async () => {
      const response = await t.get('/api/no-such-thing');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 404, code: 'not_found', type: 'about:blank' });
    });
  });
});

describe('database outage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 unavailable while the database refuses connections, and recovers', async () => {
    const owner = await signupOwner(t);
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new DataSource({ type: 'postgres', url: process.env['TEST_PG_ADMIN_URL'] });
    await admin.initialize();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      const health = await t.get('/api/health');
      expect(health.status).toBe(503);
      expect(health.body.code).toBe('unavailable');
      const signIn = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password });
      expect(signIn.status).toBe(503);
      expect(signIn.body).toMatchObject({ code: 'unavailable' });
      expect(JSON.stringify(signIn.body)).not.toMatch(/SELECT|stack|at /);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.destroy();
    }
    const recovered = await t.get('/api/health');
    expect(recovered.status).toBe(200);
  });
});
