import { DataSource } from 'typeorm';
import { drainOf } from '../src/app.factory';
import { createTestApp, TestApp } from './test-app';

/** Issue 14: readiness (database + not draining) and liveness (process only), beside `/api/health`. */
// A loaded machine can take over the 1 s default to open a connection; the bounds have their own spec.
const ENV = { DATABASE_CONNECT_TIMEOUT_MS: '5000' };

describe('health probes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ENV);
  });
  afterAll(() => t?.close());

  it('ready and live are green on a healthy replica; /api/health keeps its shape', async () => {
    const ready = await t.get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', database: 'up', uptime_seconds: expect.any(Number) });
    const live = await t.get('/api/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', uptime_seconds: expect.any(Number) });
    expect((await t.get('/api/health')).body).toEqual({ ...ready.body, uptime_seconds: expect.any(Number) });
  });

  it('ready goes red as soon as the drain starts (SIGTERM in main.ts); live and /api/health stay green', async () => {
    const other = await createTestApp(ENV, { database: { apiUrl: t.databaseUrl, ownerUrl: t.ownerUrl } });
    try {
      // Not listening (inject): run() only marks the drain, as main.ts's SIGTERM handler does first.
      await drainOf(other.app).run(other.app.getHttpServer(), 1000);
      const ready = await other.get('/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'unavailable', detail: 'This replica is shutting down.' });
      expect((await other.get('/api/health/live')).status).toBe(200);
      expect((await other.get('/api/health')).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('ready is red while the database refuses connections; live stays green (no restart loop on a DB outage)', async () => {
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new DataSource({ type: 'postgres', url: process.env['TEST_PG_ADMIN_URL'] });
    await admin.initialize();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      const ready = await t.get('/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'unavailable', detail: 'The database is unreachable.' });
      expect((await t.get('/api/health/live')).status).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.destroy();
    }
    // Green again once PostgreSQL accepts: a pooled connection the outage killed may fail one
    // probe while the pool evicts it (a balancer probes repeatedly), so allow a few probes.
    let status = 0;
    for (let probe = 0; probe < 20 && status !== 200; probe++) {
      if (probe > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await t.get('/api/health/ready')).status;
    }
    expect(status).toBe(200);
  });
});
