import { DataSource } from 'typeorm';
import { ENTITIES } from '../src/database/entities';
import { addMember, login, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('foundation: accounts, members, sign-in, errors (real PostgreSQL, through HTTP)', () => {
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

  describe('sign-up and sign-in', () => {
    it('signs up, then signs in with JSON and with the OAuth2 form', async () => {
      const owner = await signupOwner(t);
      const tokens = await login(t, owner.email, owner.password);
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 300 });
      const me = await t.get('/api/auth/me', { token: tokens.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: owner.email, role: 'owner', account_id: owner.accountId, id: owner.id });

      const form = await t.post('/api/auth/login', undefined, {
        form: { username: owner.email.toUpperCase(), password: owner.password, grant_type: 'password' },
      });
      expect(form.status).toBe(200);
      expect(form.body.access_token).toEqual(expect.any(String));
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const owner = await signupOwner(t);
      const wrongPassword = await t.post('/api/auth/login/json', { email: owner.email, password: 'not-the-password' });
      const unknownEmail = await t.post('/api/auth/login/json', { email: 'nobody@example.test', password: 'not-the-password' });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(unknownEmail.status).toBe(wrongPassword.status);
    });

    it('records last_login_at and audits the failure without the password', async () => {
      const owner = await signupOwner(t);
      await t.post('/api/auth/login/json', { email: owner.email, password: 'secret-guess-123' });
      const rows = await t.db.query(
        `SELECT action, details::text AS details FROM audit_events WHERE account_id = $1 AND action = 'auth.login_failed'`,
        [owner.accountId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].details).not.toContain('secret-guess-123');
      const [user] = await t.db.query('SELECT last_login_at FROM users WHERE id = $1', [owner.id]);
      expect(user.last_login_at).toBeInstanceOf(Date);
    });

    it('refuses a second account with the same email, whatever its case (409)', async () => {
      const owner = await signupOwner(t);
      const response = await t.post('/api/auth/signup', {
        account_name: 'Other',
        name: 'X',
        email: owner.email.toUpperCase(),
        password: 'password-123',
      });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('conflict');
    });

    it('stores argon2id hashes, never the password', async () => {
      const owner = await signupOwner(t);
      const [row] = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [owner.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(owner.password);
    });
  });

  describe('bad input', () => {
    it('gives 422 with field errors for an invalid body', async () => {
      const response = await t.post('/api/auth/signup', {
        account_name: '',
        name: 'A',
        email: 'not-an-email',
        password: 'short',
        extra: 1,
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['account_name', 'email', 'extra', 'password']);
    });

    it('gives 400 malformed_request for unparseable JSON and for a wrong content type', async () => {
      const broken = await t.post('/api/auth/login/json', '{"email": ', { headers: { 'content-type': 'application/json' } });
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('malformed_request');
      const text = await t.post('/api/auth/login/json', 'email=a', { headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(400);
      expect(text.body.code).toBe('malformed_request');
    });

    it('gives 422 for a non-uuid member id and 401 without a token', async () => {
      const owner = await signupOwner(t);
      const bad = await t.patch('/api/accounts/me/members/42', { role: 'admin' }, { token: owner.tokens.access_token });
      expect(bad.status).toBe(422);
      const anonymous = await t.get('/api/accounts/me/members');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
      const garbage = await t.get('/api/accounts/me/members', { token: 'garbage' });
      expect(garbage.body.code).toBe('unauthenticated');
    });
  });

  describe('members and roles', () => {
    it('lets owners add members and admins list them; engineers get 403', async () => {
      const owner = await signupOwner(t);
      const admin = await addMember(t, owner, 'admin');
      const engineer = await addMember(t, owner, 'engineer');

      const asAdmin = await t.get('/api/accounts/me/members', { token: admin.tokens.access_token });
      expect(asAdmin.status).toBe(200);
      expect(asAdmin.body.map((m: { email: string }) => m.email).sort()).toEqual([owner.email, admin.email, engineer.email].sort());
      expect(asAdmin.body[0]).toEqual(
        expect.objectContaining({ id: expect.any(String), name: expect.any(String), role: expect.any(String), is_active: true }),
      );

      const asEngineer = await t.get('/api/accounts/me/members', { token: engineer.tokens.access_token });
      expect(asEngineer.status).toBe(403);
      expect(asEngineer.body.code).toBe('forbidden');
      const adminAdds = await t.post(
        '/api/accounts/me/members',
        { name: 'N', email: 'n@example.test', role: 'engineer', password: 'password-123' },
        { token: admin.tokens.access_token },
      );
      expect(adminAdds.status).toBe(403);
      const engineerPatches = await t.patch(
        `/api/accounts/me/members/${admin.id}`,
        { role: 'engineer' },
        { token: engineer.tokens.access_token },
      );
      expect(engineerPatches.status).toBe(403);
    });

    it('never shows or changes the members of another account (404)', async () => {
      const ownerA = await signupOwner(t);
      const ownerB = await signupOwner(t);
      const memberB = await addMember(t, ownerB, 'engineer');
      const list = await t.get('/api/accounts/me/members', { token: ownerA.tokens.access_token });
      expect(list.body.map((m: { id: string }) => m.id)).not.toContain(memberB.id);
      const patch = await t.patch(`/api/accounts/me/members/${memberB.id}`, { is_active: false }, { token: ownerA.tokens.access_token });
      expect(patch.status).toBe(404);
      expect(patch.body.code).toBe('not_found');
      const [row] = await t.db.query('SELECT is_active FROM users WHERE id = $1', [memberB.id]);
      expect(row.is_active).toBe(true);
    });

    it('keeps at least one active owner (409), and audits member changes', async () => {
      const owner = await signupOwner(t);
      const demote = await t.patch(`/api/accounts/me/members/${owner.id}`, { role: 'admin' }, { token: owner.tokens.access_token });
      expect(demote.status).toBe(409);
      const deactivate = await t.patch(`/api/accounts/me/members/${owner.id}`, { is_active: false }, { token: owner.tokens.access_token });
      expect(deactivate.status).toBe(409);

      const second = await addMember(t, owner, 'admin');
      t.clock.advance(1);
      const promote = await t.patch(`/api/accounts/me/members/${second.id}`, { role: 'owner' }, { token: owner.tokens.access_token });
      expect(promote.status).toBe(200);
      expect(promote.body).toMatchObject({ id: second.id, role: 'owner', is_active: true });
      t.clock.advance(1);
      const demoteNow = await t.patch(`/api/accounts/me/members/${owner.id}`, { role: 'engineer' }, { token: owner.tokens.access_token });
      expect(demoteNow.status).toBe(200);
      const events = await t.db.query(
        `SELECT action, details FROM audit_events WHERE account_id = $1 AND action LIKE 'member.%' ORDER BY occurred_at`,
        [owner.accountId],
      );
      expect(events.map((e: { action: string }) => e.action)).toEqual(['member.added', 'member.updated', 'member.updated']);
      expect(events[1].details).toEqual({ user_id: second.id, role: 'owner', is_active: true });
    });
  });

  describe('database constraints', () => {
    const reject = (sql: string, params: unknown[] = []) =>
      expect(t.db.query(sql, params)).rejects.toThrow(/violates check constraint|violates unique constraint/);

    it('rejects bad rows at the database level', async () => {
      const owner = await signupOwner(t);
      await reject(
        `INSERT INTO users (account_id, email, name, role, password_hash) VALUES ($1, 'x@example.test', 'X', 'superuser', 'h')`,
        [owner.accountId],
      );
      await reject(
        `INSERT INTO users (account_id, email, name, role, password_hash) VALUES ($1, 'Upper@Example.test', 'X', 'owner', 'h')`,
        [owner.accountId],
      );
      await reject(`INSERT INTO users (account_id, email, name, role, password_hash) VALUES ($1, $2, 'X', 'owner', 'h')`, [
        owner.accountId,
        owner.email,
      ]);
      await reject(`UPDATE accounts SET session_idle_minutes = 600, session_absolute_minutes = 60 WHERE id = $1`, [owner.accountId]);
      await reject(`UPDATE accounts SET session_idle_minutes = 0 WHERE id = $1`, [owner.accountId]);
      await reject(`UPDATE accounts SET session_absolute_minutes = -5 WHERE id = $1`, [owner.accountId]);
      await reject(`UPDATE sessions SET revoked_at = now() WHERE account_id = $1`, [owner.accountId]);
      await reject(`UPDATE sessions SET idle_max_seconds = 0 WHERE account_id = $1`, [owner.accountId]);
      // One side set, the other null, is allowed: the invariant then holds on effective values.
      await expect(
        t.db.query(`UPDATE accounts SET session_idle_minutes = 600, session_absolute_minutes = NULL WHERE id = $1`, [owner.accountId]),
      ).resolves.toBeDefined();
    });
  });

  describe('schema', () => {
    it('has no drift between the entities and the migrations', async () => {
      // What `typeorm migration:generate` would write, computed against the migrated database.
      const probe = new DataSource({ type: 'postgres', url: t.databaseUrl, entities: ENTITIES, uuidExtension: 'pgcrypto' });
      await probe.initialize();
      try {
        const pending = await probe.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      } finally {
        await probe.destroy();
      }
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
