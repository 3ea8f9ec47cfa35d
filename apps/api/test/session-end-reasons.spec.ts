import { randomUUID } from 'node:crypto';
import { SessionSweeper } from '../src/sessions/session-sweeper.service';
import { addMember, decodeJwt, login, refresh, SignedInUser, signJwt, signupOwner, Tokens } from './builders';
import { createTestApp, HttpResponse, TestApp } from './test-app';

const DAY = 86_400;

/**
 * Issue 9: a user who is signed out learns why — whether or not the sweeper has
 * marked the session ended since, however often and however late the token comes back.
 */
describe('why a session ended: refused refreshes carry the reason (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const setPolicy = (accountId: string, idle: number | null, absolute: number | null) =>
    t.db.query('UPDATE accounts SET session_idle_minutes = $2, session_absolute_minutes = $3 WHERE id = $1', [accountId, idle, absolute]);
  const sweep = () => t.app.get(SessionSweeper).sweep();
  const sid = (tokens: Tokens) => decodeJwt(tokens.refresh_token)['sid'] as string;
  const storedReason = async (tokens: Tokens): Promise<string | null> =>
    (await t.db.query('SELECT revoke_reason FROM sessions WHERE id = $1', [sid(tokens)]))[0].revoke_reason;
  const reuseEvents = (accountId: string) =>
    t.db.query(`SELECT details FROM audit_events WHERE account_id = $1 AND action = 'session.refresh_reuse_detected'`, [accountId]);

  /** The whole refusal body: nothing more, nothing less than the contract shape. */
  const expectRefusal = (response: HttpResponse, code: string, reason?: string) => {
    expect(response.status).toBe(401);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    const expected: Record<string, unknown> = { type: 'about:blank', title: 'Unauthorized', status: 401, detail: expect.any(String), code };
    if (reason !== undefined) expected['reason'] = reason;
    expect(response.body).toEqual(expected);
  };

  /** Signs in and keeps the session active every 10 minutes until just before +60 min. */
  const activeUntilAbsolute = async (owner: SignedInUser): Promise<Tokens> => {
    let tokens = await login(t, owner.email, owner.password);
    for (let minute = 10; minute < 60; minute += 10) {
      t.clock.advance(600);
      const next = await refresh(t, tokens.refresh_token);
      expect(next.status).toBe(200);
      tokens = next.body;
    }
    return tokens;
  };

  describe('deadlines, after the sweeper ran', () => {
    it('idle: session_expired_idle, twice, and still the next morning', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const tokens = await login(t, owner.email, owner.password);
      t.clock.advance(15 * 60 + 30);
      expect(await sweep()).toBeGreaterThan(0);
      expect(await storedReason(tokens)).toBe('expired_idle');

      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_idle', 'expired_idle');
      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_idle', 'expired_idle');
      t.clock.advance(DAY); // the absolute deadline has passed too by now; the session still ended by idle
      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_idle', 'expired_idle');
    });

    it('absolute: session_expired_absolute, twice, and still days later', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const tokens = await activeUntilAbsolute(owner);
      t.clock.advance(600);
      await sweep();
      expect(await storedReason(tokens)).toBe('expired_absolute');

      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_absolute', 'expired_absolute');
      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_absolute', 'expired_absolute');
      t.clock.advance(10 * DAY);
      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_absolute', 'expired_absolute');
    });

    it('a rotated (used) token of a swept idle session answers idle and records no reuse', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const first = await login(t, owner.email, owner.password);
      const second = (await refresh(t, first.refresh_token)).body;
      t.clock.advance(20 * 60);
      await sweep();
      expectRefusal(await refresh(t, first.refresh_token), 'session_expired_idle', 'expired_idle');
      expectRefusal(await refresh(t, second.refresh_token), 'session_expired_idle', 'expired_idle');
      expect(await reuseEvents(owner.accountId)).toHaveLength(0);
      expect(await storedReason(second)).toBe('expired_idle');
    });
  });

  describe('deadlines, before any sweep', () => {
    it('the same expired token twice answers the same code both times (idle, then absolute)', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const idle = await login(t, owner.email, owner.password);
      t.clock.advance(15 * 60);
      expectRefusal(await refresh(t, idle.refresh_token), 'session_expired_idle', 'expired_idle');
      expectRefusal(await refresh(t, idle.refresh_token), 'session_expired_idle', 'expired_idle');

      const other = await signupOwner(t);
      await setPolicy(other.accountId, 15, 60);
      const absolute = await activeUntilAbsolute(other);
      t.clock.advance(600);
      expectRefusal(await refresh(t, absolute.refresh_token), 'session_expired_absolute', 'expired_absolute');
      expectRefusal(await refresh(t, absolute.refresh_token), 'session_expired_absolute', 'expired_absolute');
      await sweep(); // a later sweep changes nothing about the answer
      expectRefusal(await refresh(t, absolute.refresh_token), 'session_expired_absolute', 'expired_absolute');
    });

    it('a rotated token replayed after the idle deadline is not reuse: the session ended by idle', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const first = await login(t, owner.email, owner.password);
      const second = (await refresh(t, first.refresh_token)).body;
      t.clock.advance(15 * 60);
      expectRefusal(await refresh(t, first.refresh_token), 'session_expired_idle', 'expired_idle');
      expect(await reuseEvents(owner.accountId)).toHaveLength(0);
      expect(await storedReason(second)).toBe('expired_idle');
      expectRefusal(await refresh(t, second.refresh_token), 'session_expired_idle', 'expired_idle');
    });

    it('a session signed out after its idle deadline had passed still ended by that deadline', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const tokens = await login(t, owner.email, owner.password);
      t.clock.advance(16 * 60);
      expect((await t.post('/api/auth/logout', { refresh_token: tokens.refresh_token })).status).toBe(204);
      expectRefusal(await refresh(t, tokens.refresh_token), 'session_expired_idle', 'expired_idle');
    });
  });

  describe('concurrency', () => {
    it('20 parallel presentations of one idle-expired token all answer session_expired_idle (real sockets)', async () => {
      const owner = await signupOwner(t);
      await setPolicy(owner.accountId, 15, 60);
      const tokens = await login(t, owner.email, owner.password);
      t.clock.advance(15 * 60);
      await t.app.listen(0, '127.0.0.1');
      const url = `${await t.app.getUrl()}/api/auth/refresh`.replace('[::1]', '127.0.0.1');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refresh_token: tokens.refresh_token }),
          }),
        ),
      );
      const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ code: string; reason?: string }>));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(401));
      expect(new Set(bodies.map((b) => `${b.code}/${b.reason}`))).toEqual(new Set(['session_expired_idle/expired_idle']));
      expect(await storedReason(tokens)).toBe('expired_idle');
      expect(await reuseEvents(owner.accountId)).toHaveLength(0);
    });
  });

  describe('every other ending answers invalid_refresh_token with its reason', () => {
    it('logout → signed_out, on every later presentation', async () => {
      const owner = await signupOwner(t);
      expect((await t.post('/api/auth/logout', { refresh_token: owner.tokens.refresh_token })).status).toBe(204);
      const refused = await refresh(t, owner.tokens.refresh_token);
      expectRefusal(refused, 'invalid_refresh_token', 'signed_out');
      expect((refused.body as { detail?: string }).detail).toMatch(/signed out/i);
      t.clock.advance(2 * DAY);
      expectRefusal(await refresh(t, owner.tokens.refresh_token), 'invalid_refresh_token', 'signed_out');
    });

    it('one device revoked from another → signed_out_elsewhere; "sign out my other devices" too', async () => {
      const owner = await signupOwner(t);
      const phone = await login(t, owner.email, owner.password);
      const tablet = await login(t, owner.email, owner.password);
      const removed = await t.delete(`/api/me/sessions/${sid(phone)}`, { token: owner.tokens.access_token });
      expect(removed.status).toBe(204);
      expectRefusal(await refresh(t, phone.refresh_token), 'invalid_refresh_token', 'signed_out_elsewhere');

      const others = await t.post('/api/me/sessions/revoke-others', {}, { token: owner.tokens.access_token });
      expect(others.body).toEqual({ revoked_count: 1 });
      expectRefusal(await refresh(t, tablet.refresh_token), 'invalid_refresh_token', 'signed_out_elsewhere');
      expect((await refresh(t, owner.tokens.refresh_token)).status).toBe(200);
    });

    it("the owner's bulk sign-out → revoked_by_owner", async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      const bulk = await t.post('/api/accounts/me/security/revoke-sessions', { scope: 'all' }, { token: owner.tokens.access_token });
      expect(bulk.status).toBe(200);
      expectRefusal(await refresh(t, engineer.tokens.refresh_token), 'invalid_refresh_token', 'revoked_by_owner');
      expectRefusal(await refresh(t, owner.tokens.refresh_token), 'invalid_refresh_token', 'revoked_by_owner');
    });

    it('a password change → password_changed on the other devices', async () => {
      const owner = await signupOwner(t);
      const laptop = await login(t, owner.email, owner.password);
      const changed = await t.post(
        '/api/auth/password',
        { current_password: owner.password, new_password: 'a-brand-new-password' },
        { token: owner.tokens.access_token },
      );
      expect(changed.status).toBe(204);
      expectRefusal(await refresh(t, laptop.refresh_token), 'invalid_refresh_token', 'password_changed');
    });

    it('deactivation → user_deactivated; a role change → role_changed', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      const admin = await addMember(t, owner, 'admin');
      const token = { token: owner.tokens.access_token };
      expect((await t.patch(`/api/accounts/me/members/${engineer.id}`, { is_active: false }, token)).status).toBe(200);
      expect((await t.patch(`/api/accounts/me/members/${admin.id}`, { role: 'engineer' }, token)).status).toBe(200);
      expectRefusal(await refresh(t, engineer.tokens.refresh_token), 'invalid_refresh_token', 'user_deactivated');
      expectRefusal(await refresh(t, admin.tokens.refresh_token), 'invalid_refresh_token', 'role_changed');
    });

    it('reuse → refresh_reuse for the replayed token and for the current one; one audit row', async () => {
      const owner = await signupOwner(t);
      const rotated = await refresh(t, owner.tokens.refresh_token);
      t.clock.advance(5);
      // Inside the grace window the session is live: a plain refusal, no reason to give.
      expectRefusal(await refresh(t, owner.tokens.refresh_token), 'invalid_refresh_token');
      t.clock.advance(6);
      expectRefusal(await refresh(t, owner.tokens.refresh_token), 'invalid_refresh_token', 'refresh_reuse');
      expectRefusal(await refresh(t, rotated.body.refresh_token), 'invalid_refresh_token', 'refresh_reuse');
      expectRefusal(await refresh(t, owner.tokens.refresh_token), 'invalid_refresh_token', 'refresh_reuse');
      expect(await reuseEvents(owner.accountId)).toHaveLength(1);
    });

    it('reuse detection still ends a live session long after the rotation', async () => {
      const owner = await signupOwner(t);
      const rotated = await refresh(t, owner.tokens.refresh_token);
      t.clock.advance(DAY); // well inside Strict's 3-day idle limit of the rotated token
      expectRefusal(await refresh(t, owner.tokens.refresh_token), 'invalid_refresh_token', 'refresh_reuse');
      expectRefusal(await refresh(t, rotated.body.refresh_token), 'invalid_refresh_token', 'refresh_reuse');
      expect(await reuseEvents(owner.accountId)).toHaveLength(1);
    });
  });

  describe('tokens that do not verify, or that no session issued, say nothing more', () => {
    it('answers plain invalid_refresh_token without a reason', async () => {
      const owner = await signupOwner(t);
      await t.post('/api/auth/logout', { refresh_token: owner.tokens.refresh_token });
      const claims = decodeJwt<Record<string, unknown>>(owner.tokens.refresh_token);
      const forged = signJwt(claims, 'not-the-secret-not-the-secret-00');
      const [header, , signature] = owner.tokens.refresh_token.split('.');
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, idle_max: 10 ** 9 })).toString('base64url')}.${signature}`;
      // Signed with the real key, but for a jti no session ever issued (under a real or an unknown sid).
      const unknownJti = signJwt({ ...claims, jti: randomUUID() }, t.config.refreshTokenSecret);
      const unknownSid = signJwt({ ...claims, jti: randomUUID(), sid: randomUUID() }, t.config.refreshTokenSecret);
      for (const token of [forged, tampered, unknownJti, unknownSid, 'garbage', owner.tokens.access_token]) {
        expectRefusal(await refresh(t, token), 'invalid_refresh_token');
      }
      expectRefusal(await t.post('/api/auth/refresh', {}), 'invalid_refresh_token');
    });
  });
});
