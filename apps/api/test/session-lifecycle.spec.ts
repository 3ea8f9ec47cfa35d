import { randomUUID } from 'node:crypto';
import { hashJti } from '../src/auth/token.service';
import { SessionRevocations } from '../src/sessions/session-revocations.service';
import { SessionSweeper } from '../src/sessions/session-sweeper.service';
import { addMember, decodeJwt, login, refresh, signJwt, signupOwner, Tokens } from './builders';
import { createTestApp, TestApp } from './test-app';

const DAY = 86_400;
const STRICT_IDLE = 3 * DAY; // 4320 minutes
const STRICT_ABSOLUTE = 14 * DAY; // 20160 minutes

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

describe('session lifecycle (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const setPolicy = (accountId: string, idle: number | null, absolute: number | null) =>
    t.db.query('UPDATE accounts SET session_idle_minutes = $2, session_absolute_minutes = $3 WHERE id = $1', [accountId, idle, absolute]);
  const me = (token: string) => t.get('/api/auth/me', { token });

  describe('policy snapshot in tokens', () => {
    it('embeds the Strict defaults and matching ISO deadlines at sign-in', async () => {
      const owner = await signupOwner(t);
      const tokens = await login(t, owner.email, owner.password);
      const claims = decodeJwt(tokens.refresh_token);
      expect(claims).toMatchObject({ typ: 'refresh', idle_max: STRICT_IDLE, abs_max: STRICT_ABSOLUTE, sub: owner.id });
      expect(claims['auth_time']).toBe(t.clock.nowSeconds());
      expect(claims['exp']).toBe(claims['iat'] + STRICT_IDLE);
      expect(tokens.idle_expires_at).toBe(iso(claims['iat'] + STRICT_IDLE));
      expect(tokens.absolute_expires_at).toBe(iso(claims['auth_time'] + STRICT_ABSOLUTE));

      const access = decodeJwt(tokens.access_token);
      expect(access).toMatchObject({ typ: 'access', sub: owner.id, acc: owner.accountId, role: 'owner', sid: claims['sid'] });
      expect(access['exp'] - access['iat']).toBe(300);
    });

    it('snapshots an account override of 60/240 minutes at the next sign-in', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 60, 240);
      const tokens = await login(t, owner.email, owner.password);
      expect(decodeJwt(tokens.refresh_token)).toMatchObject({ idle_max: 3600, abs_max: 14400 });
    });

    it('carries auth_time, idle_max and abs_max forward across rotations; the session id stays', async () => {
      const owner = await signupOwner(t);
      const first = decodeJwt(owner.tokens.refresh_token);
      let current = owner.tokens;
      for (let i = 0; i < 4; i++) {
        t.clock.advance(3600);
        const next = await refresh(t, current.refresh_token);
        expect(next.status).toBe(200);
        const claims = decodeJwt(next.body.refresh_token);
        expect(claims).toMatchObject({
          auth_time: first['auth_time'],
          idle_max: first['idle_max'],
          abs_max: first['abs_max'],
          sid: first['sid'],
        });
        expect(claims['jti']).not.toBe(decodeJwt(current.refresh_token)['jti']);
        expect(claims['iat']).toBe(t.clock.nowSeconds());
        expect(next.body.absolute_expires_at).toBe(iso(first['auth_time'] + first['abs_max']));
        current = next.body;
      }
      const [row] = await t.db.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1', [first['sid']]);
      expect(row.n).toBe(5);
    });

    it('stores only a hash of each jti', async () => {
      const owner = await signupOwner(t);
      const claims = decodeJwt(owner.tokens.refresh_token);
      const rows = await t.db.query('SELECT jti_hash FROM refresh_tokens WHERE session_id = $1', [claims['sid']]);
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0].jti_hash).equals(hashJti(claims['jti']))).toBe(true);
      const leaked = await t.db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE encode(jti_hash, 'escape') LIKE $1`, [
        `%${claims['jti']}%`,
      ]);
      expect(leaked[0].n).toBe(0);
    });
  });

  describe('refusal taxonomy', () => {
    it('ends a session exactly at auth_time + abs_max: session_expired_absolute, and again on a replay', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      let tokens = await login(t, owner.email, owner.password);
      // Keep it active: refresh every 10 minutes until the absolute deadline.
      for (let minute = 10; minute < 60; minute += 10) {
        t.clock.advance(600);
        const next = await refresh(t, tokens.refresh_token);
        expect(next.status).toBe(200);
        tokens = next.body;
      }
      t.clock.advance(600); // exactly 60 minutes after sign-in: the boundary itself is expired
      const expired = await refresh(t, tokens.refresh_token);
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('session_expired_absolute');
      // The first answer consumed the token and ended the session; the replay still says why.
      const replay = await refresh(t, tokens.refresh_token);
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('session_expired_absolute');
    });

    it('prefers absolute over idle when both deadlines passed', async () => {
      const owner = await signupOwner(t);
      t.clock.advance(STRICT_ABSOLUTE);
      const response = await refresh(t, owner.tokens.refresh_token);
      expect(response.body.code).toBe('session_expired_absolute');
      expect((await refresh(t, owner.tokens.refresh_token)).body.code).toBe('session_expired_absolute');
    });

    it('answers session_expired_idle at the idle deadline, not one second before', async () => {
      const owner = await signupOwner(t);
      const other = await login(t, owner.email, owner.password);
      t.clock.advance(STRICT_IDLE - 1);
      expect((await refresh(t, other.refresh_token)).status).toBe(200);
      t.clock.advance(1);
      const idle = await refresh(t, owner.tokens.refresh_token);
      expect(idle.status).toBe(401);
      expect(idle.body.code).toBe('session_expired_idle');
      const [session] = await t.db.query('SELECT revoke_reason FROM sessions WHERE id = $1', [
        decodeJwt(owner.tokens.refresh_token)['sid'],
      ]);
      expect(session.revoke_reason).toBe('expired_idle');
    });

    it('refuses garbage, wrong type, bad signature and missing tokens with invalid_refresh_token', async () => {
      const owner = await signupOwner(t);
      const [header, payload, signature] = owner.tokens.refresh_token.split('.');
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(owner.tokens.refresh_token), abs_max: 10 ** 9 })).toString('base64url')}.${signature}`;
      const forged = signJwt({ ...decodeJwt<Record<string, unknown>>(owner.tokens.refresh_token) }, 'not-the-secret-not-the-secret-00');
      for (const token of ['garbage', owner.tokens.access_token, tampered, forged, `${header}.${payload}.`]) {
        const response = await refresh(t, token);
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('invalid_refresh_token');
      }
      const missing = await t.post('/api/auth/refresh', {});
      expect(missing.body.code).toBe('invalid_refresh_token');
      // The real token still works: refused attempts did not consume it.
      expect((await refresh(t, owner.tokens.refresh_token)).status).toBe(200);
    });

    it('refuses an access token used as a bearer after it expires, and a refresh token used as bearer', async () => {
      const owner = await signupOwner(t);
      expect((await me(owner.tokens.refresh_token)).status).toBe(401);
      t.clock.advance(299);
      expect((await me(owner.tokens.access_token)).status).toBe(200);
      t.clock.advance(1);
      const expired = await me(owner.tokens.access_token);
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('unauthenticated');
    });
  });

  describe('concurrency and reuse', () => {
    it('lets exactly one of 50 parallel refreshes of one token win (real sockets)', async () => {
      const owner = await signupOwner(t);
      await t.app.listen(0, '127.0.0.1');
      const url = `${await t.app.getUrl()}/api/auth/refresh`.replace('[::1]', '127.0.0.1');
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refresh_token: owner.tokens.refresh_token }),
          }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 401)).toHaveLength(49);
      const bodies = await Promise.all(responses.filter((r) => r.status === 401).map((r) => r.json() as Promise<{ code: string }>));
      expect(new Set(bodies.map((b) => b.code))).toEqual(new Set(['invalid_refresh_token']));
      const [row] = await t.db.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1', [
        decodeJwt(owner.tokens.refresh_token)['sid'],
      ]);
      expect(row.n).toBe(2);
    });

    it('ends the whole session when a rotated token is replayed after the grace window', async () => {
      const owner = await signupOwner(t);
      const rotated = await refresh(t, owner.tokens.refresh_token);
      expect(rotated.status).toBe(200);
      t.clock.advance(11);
      const reuse = await refresh(t, owner.tokens.refresh_token);
      expect(reuse.body.code).toBe('invalid_refresh_token');
      // The current refresh token and access token of that session stop working.
      expect((await refresh(t, rotated.body.refresh_token)).body.code).toBe('invalid_refresh_token');
      expect((await me(rotated.body.access_token)).status).toBe(401);
      // A second replay writes no second event.
      await refresh(t, owner.tokens.refresh_token);
      const events = await t.db.query(
        `SELECT details FROM audit_events WHERE account_id = $1 AND action = 'session.refresh_reuse_detected'`,
        [owner.accountId],
      );
      expect(events).toHaveLength(1);
      expect(events[0].details).toEqual({ session_id: decodeJwt(owner.tokens.refresh_token)['sid'] });
    });

    it('only refuses a replay inside the grace window (benign multi-tab race)', async () => {
      const owner = await signupOwner(t);
      const rotated = await refresh(t, owner.tokens.refresh_token);
      t.clock.advance(5);
      expect((await refresh(t, owner.tokens.refresh_token)).body.code).toBe('invalid_refresh_token');
      expect((await refresh(t, rotated.body.refresh_token)).status).toBe(200);
      const events = await t.db.query(`SELECT 1 FROM audit_events WHERE account_id = $1 AND action = 'session.refresh_reuse_detected'`, [
        owner.accountId,
      ]);
      expect(events).toHaveLength(0);
    });
  });

  describe('legacy tokens and policy changes', () => {
    it('accepts a legacy-format token exactly once and upgrades it with a fresh snapshot', async () => {
      const owner = await signupOwner(t);
      const sid = decodeJwt(owner.tokens.refresh_token)['sid'];
      await setPolicy(owner.accountId, 60, 240);
      const jti = randomUUID();
      const now = t.clock.nowSeconds();
      await t.db.query('INSERT INTO refresh_tokens (session_id, account_id, jti_hash, issued_at) VALUES ($1, $2, $3, $4)', [
        sid,
        owner.accountId,
        hashJti(jti),
        t.clock.now(),
      ]);
      const legacy = signJwt({ sub: owner.id, sid, jti, typ: 'refresh', iat: now, exp: now + 30 * DAY }, t.config.refreshTokenSecret);
      expect(decodeJwt(legacy)['auth_time']).toBeUndefined();

      const upgraded = await refresh(t, legacy);
      expect(upgraded.status).toBe(200);
      expect(decodeJwt(upgraded.body.refresh_token)).toMatchObject({
        sid,
        idle_max: 3600,
        abs_max: 14400,
        auth_time: decodeJwt(owner.tokens.refresh_token)['auth_time'],
      });
      expect((await refresh(t, legacy)).body.code).toBe('invalid_refresh_token');
      expect((await refresh(t, upgraded.body.refresh_token)).status).toBe(200);
    });

    it('shortens a live session at its next refresh when the policy tightens; a looser one waits for the next sign-in', async () => {
      const owner = await signupOwner(t);
      const authTime = decodeJwt(owner.tokens.refresh_token)['auth_time'];
      await setPolicy(owner.accountId, 60, 240);
      t.clock.advance(60);
      const tightened = await refresh(t, owner.tokens.refresh_token);
      expect(decodeJwt(tightened.body.refresh_token)).toMatchObject({ idle_max: 3600, abs_max: 14400, auth_time: authTime });
      expect(tightened.body.absolute_expires_at).toBe(iso(authTime + 14400));
      expect(tightened.body.idle_expires_at).toBe(iso(t.clock.nowSeconds() + 3600));

      await setPolicy(owner.accountId, null, null);
      const loosened = await refresh(t, tightened.body.refresh_token);
      expect(decodeJwt(loosened.body.refresh_token)).toMatchObject({ idle_max: 3600, abs_max: 14400 });
      const fresh = await login(t, owner.email, owner.password);
      expect(decodeJwt(fresh.refresh_token)).toMatchObject({ idle_max: STRICT_IDLE, abs_max: STRICT_ABSOLUTE });
    });

    it('refuses a live token whose session passed the tightened idle limit', async () => {
      const owner = await signupOwner(t);
      t.clock.advance(2 * 3600);
      await setPolicy(owner.accountId, 60, null);
      expect((await refresh(t, owner.tokens.refresh_token)).body.code).toBe('session_expired_idle');
    });
  });

  describe('ending sessions', () => {
    it('logout ends the session at once and is idempotent', async () => {
      const owner = await signupOwner(t);
      const other = await login(t, owner.email, owner.password);
      const out = await t.post('/api/auth/logout', { refresh_token: owner.tokens.refresh_token });
      expect(out.status).toBe(204);
      expect((await me(owner.tokens.access_token)).body.code).toBe('unauthenticated');
      expect((await refresh(t, owner.tokens.refresh_token)).body.code).toBe('invalid_refresh_token');
      expect((await t.post('/api/auth/logout', { refresh_token: owner.tokens.refresh_token })).status).toBe(204);
      expect((await t.post('/api/auth/logout', { refresh_token: 'garbage' })).status).toBe(204);
      expect((await me(other.access_token)).status).toBe(200);
      const events = await t.db.query(`SELECT details FROM audit_events WHERE account_id = $1 AND action = 'session.revoked'`, [
        owner.accountId,
      ]);
      expect(events).toEqual([{ details: { session_id: decodeJwt(owner.tokens.refresh_token)['sid'], by: 'self', reason: 'logout' } }]);
    });

    it('a password change ends the other sessions and keeps the current one', async () => {
      const owner = await signupOwner(t);
      const laptop = await login(t, owner.email, owner.password);
      const changed = await t.post(
        '/api/auth/password',
        { current_password: owner.password, new_password: 'a-brand-new-password' },
        { token: owner.tokens.access_token },
      );
      expect(changed.status).toBe(204);
      expect((await me(laptop.access_token)).body.code).toBe('unauthenticated');
      expect((await refresh(t, laptop.refresh_token)).body.code).toBe('invalid_refresh_token');
      expect((await me(owner.tokens.access_token)).status).toBe(200);
      expect((await refresh(t, owner.tokens.refresh_token)).status).toBe(200);
      expect((await t.post('/api/auth/login/json', { email: owner.email, password: owner.password })).status).toBe(401);
      await login(t, owner.email, 'a-brand-new-password');
      const [event] = await t.db.query(`SELECT details FROM audit_events WHERE account_id = $1 AND action = 'auth.password_changed'`, [
        owner.accountId,
      ]);
      expect(event.details).toEqual({ ended_sessions: 1 });
    });

    it('refuses a password change with a wrong current password (422) and changes nothing', async () => {
      const owner = await signupOwner(t);
      const response = await t.post(
        '/api/auth/password',
        { current_password: 'wrong-password', new_password: 'another-password' },
        { token: owner.tokens.access_token },
      );
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ field: 'current_password', message: expect.any(String) }]);
      await login(t, owner.email, owner.password);
    });

    it('deactivating a member ends all their sessions at once', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      const second: Tokens = await login(t, engineer.email, engineer.password);
      const response = await t.patch(`/api/accounts/me/members/${engineer.id}`, { is_active: false }, { token: owner.tokens.access_token });
      expect(response.status).toBe(200);
      for (const tokens of [engineer.tokens, second]) {
        expect((await me(tokens.access_token)).body.code).toBe('unauthenticated');
        expect((await refresh(t, tokens.refresh_token)).body.code).toBe('invalid_refresh_token');
      }
      expect((await t.post('/api/auth/login/json', { email: engineer.email, password: engineer.password })).body.code).toBe(
        'invalid_credentials',
      );
    });
  });

  describe('expired sessions', () => {
    it('are marked ended by the sweeper with the deadline that passed, and only them', async () => {
      const idleOwner = await signupOwner(t);
      await setPolicy(idleOwner.accountId, 15, 60);
      let idle: Tokens | null = null;
      const absoluteOwner = await signupOwner(t);
      await setPolicy(absoluteOwner.accountId, 15, 60);
      let absolute = await login(t, absoluteOwner.email, absoluteOwner.password);
      for (let i = 0; i < 6; i++) {
        t.clock.advance(10 * 60);
        if (i < 5) absolute = (await refresh(t, absolute.refresh_token)).body;
        if (i === 2) idle = await login(t, idleOwner.email, idleOwner.password); // idle at +45 min, absolute at +90
      }
      if (!idle) throw new Error('unreachable');
      const live = await login(t, idleOwner.email, idleOwner.password);
      await t.app.get(SessionSweeper).sweep();
      const reasons = await t.db.query('SELECT id, revoke_reason FROM sessions WHERE id = ANY($1)', [
        [decodeJwt(idle.refresh_token)['sid'], decodeJwt(absolute.refresh_token)['sid'], decodeJwt(live.refresh_token)['sid']],
      ]);
      const byId = Object.fromEntries(reasons.map((r: { id: string; revoke_reason: string | null }) => [r.id, r.revoke_reason]));
      expect(byId[decodeJwt(idle.refresh_token)['sid']]).toBe('expired_idle');
      expect(byId[decodeJwt(absolute.refresh_token)['sid']]).toBe('expired_absolute');
      expect(byId[decodeJwt(live.refresh_token)['sid']]).toBeNull();
      expect((await refresh(t, live.refresh_token)).status).toBe(200);
    });
  });

  describe('role changes', () => {
    it("end the member's sessions, so no access token keeps the old role", async () => {
      const owner = await signupOwner(t);
      const admin = await addMember(t, owner, 'admin');
      expect((await t.get('/api/accounts/me/members', { token: admin.tokens.access_token })).status).toBe(200);
      const demoted = await t.patch(`/api/accounts/me/members/${admin.id}`, { role: 'engineer' }, { token: owner.tokens.access_token });
      expect(demoted.status).toBe(200);
      expect((await t.get('/api/accounts/me/members', { token: admin.tokens.access_token })).body.code).toBe('unauthenticated');
      expect((await refresh(t, admin.tokens.refresh_token)).body.code).toBe('invalid_refresh_token');
      const again = await login(t, admin.email, admin.password);
      expect(decodeJwt(again.access_token)['role']).toBe('engineer');
      expect((await t.get('/api/accounts/me/members', { token: again.access_token })).status).toBe(403);
      expect((await me(owner.tokens.access_token)).status).toBe(200);
    });
  });

  describe('cookie transport', () => {
    it('puts the refresh token in an HttpOnly, SameSite=Strict cookie scoped to /api/auth, never in the body', async () => {
      const owner = await signupOwner(t);
      const headers = { 'x-token-transport': 'cookie' };
      const signIn = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password }, { headers });
      expect(signIn.status).toBe(200);
      expect(signIn.body.refresh_token).toBeUndefined();
      const setCookie = String(signIn.headers['set-cookie']);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Path=\/api\/auth/);
      const cookie = signIn.cookies.find((c) => c.name === 'sessions_refresh');
      expect(cookie).toBeDefined();

      const rotated = await t.post('/api/auth/refresh', {}, { headers, cookies: { sessions_refresh: cookie!.value } });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refresh_token).toBeUndefined();
      const next = rotated.cookies.find((c) => c.name === 'sessions_refresh');
      expect(next!.value).not.toBe(cookie!.value);

      const out = await t.post('/api/auth/logout', {}, { headers, cookies: { sessions_refresh: next!.value } });
      expect(out.status).toBe(204);
      expect(out.cookies.find((c) => c.name === 'sessions_refresh')?.value).toBe('');
      expect((await me(rotated.body.access_token)).status).toBe(401);
    });

    it('keeps the cookie past the idle deadline, so a browser that comes back later learns why it was signed out', async () => {
      const owner = await signupOwner(t);
      const headers = { 'x-token-transport': 'cookie' };
      const signIn = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password }, { headers });
      const cookie = signIn.cookies.find((c) => c.name === 'sessions_refresh')!;
      const absoluteIn = (Date.parse(signIn.body.absolute_expires_at) - t.clock.now().getTime()) / 1000;
      expect(Number(cookie['maxAge'])).toBeGreaterThan(absoluteIn);

      t.clock.advance((Date.parse(signIn.body.idle_expires_at) - t.clock.now().getTime()) / 1000 + 8 * 3600);
      await t.app.get(SessionSweeper).sweep();
      const late = await t.post('/api/auth/refresh', {}, { headers, cookies: { sessions_refresh: cookie.value } });
      expect(late.status).toBe(401);
      expect(late.body).toMatchObject({ code: 'session_expired_idle', reason: 'expired_idle' });
    });

    it('sets no cookie without the header', async () => {
      const owner = await signupOwner(t);
      const signIn = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password });
      expect(signIn.headers['set-cookie']).toBeUndefined();
      expect(signIn.body.refresh_token).toEqual(expect.any(String));
    });
  });
});

describe('revocation across API replicas (LISTEN/NOTIFY)', () => {
  it('a replica refuses the access tokens of a session another replica ended', async () => {
    const first = await createTestApp();
    const { createApp } = await import('../src/app.factory');
    const second = await createApp(first.config, { clock: first.clock });
    try {
      const owner = await signupOwner(first);
      const inject = (token: string) =>
        second.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect((await inject(owner.tokens.access_token)).statusCode).toBe(200);
      await first.post('/api/auth/logout', { refresh_token: owner.tokens.refresh_token });
      // The notification travels asynchronously through PostgreSQL; wait for it, bounded.
      let status = 200;
      for (let attempt = 0; attempt < 50 && status === 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await inject(owner.tokens.access_token)).statusCode;
      }
      expect(status).toBe(401);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('another replica hears every session of a bulk revoke, sent in several batched notifications', async () => {
    const first = await createTestApp();
    const { createApp } = await import('../src/app.factory');
    const second = await createApp(first.config, { clock: first.clock });
    try {
      const owner = await signupOwner(first);
      const members = await Promise.all([addMember(first, owner, 'engineer'), addMember(first, owner, 'engineer')]);
      // 450 sessions ended by ONE statement: more than two notifications' worth of ids (200 each).
      const now = first.clock.now();
      const rows: { id: string }[] = await first.db.query(
        `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, created_at, last_used_at)
         SELECT $1, ($2::uuid[])[1 + g % 2], $3, 3600, 86400, $3, $3 FROM generate_series(1, 450) g RETURNING id`,
        [owner.accountId, members.map((m) => m.id), now],
      );
      const ids = [...rows.map((r) => r.id), ...members.map((m) => decodeJwt<{ sid: string }>(m.tokens.access_token).sid)];
      const heard = second.get(SessionRevocations);
      expect(ids.filter((id) => heard.isRevoked(id))).toEqual([]);
      const ended = await first.post(
        '/api/accounts/me/security/revoke-sessions',
        { scope: 'others' },
        { token: owner.tokens.access_token },
      );
      expect(ended.body).toEqual({ revoked_count: ids.length });
      let missing = ids;
      for (let attempt = 0; attempt < 50 && missing.length > 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        missing = ids.filter((id) => !heard.isRevoked(id));
      }
      expect(missing).toEqual([]);
      // The owner's own session was not ended, and nobody said it was.
      expect(heard.isRevoked(decodeJwt<{ sid: string }>(owner.tokens.access_token).sid)).toBe(false);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
