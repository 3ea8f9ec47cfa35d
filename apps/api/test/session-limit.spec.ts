import { randomUUID } from 'node:crypto';
import { decodeJwt, login, refresh, SignedInUser, signupOwner, Tokens } from './builders';
import { createTestApp, TestApp } from './test-app';

const CAP = 3;

/**
 * Issue 11: a cap on live sessions per user (the least recently used one ends with
 * `session_limit`, audited), and a device list paged by cursor.
 */
describe('live sessions per user are capped; the device list pages (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SESSION_MAX_PER_USER: String(CAP) });
  });
  afterAll(() => t.close());

  const sid = (tokens: Tokens) => decodeJwt(tokens.access_token)['sid'] as string;
  const liveIds = async (user: SignedInUser): Promise<string[]> =>
    (await t.db.query('SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id', [user.id])).map(
      (r: { id: string }) => r.id,
    );

  describe('the cap', () => {
    it('a sign-in beyond the cap ends the least recently used session: audited, and its refresh says why', async () => {
      const owner = await signupOwner(t);
      let first = owner.tokens;
      t.clock.advance(60);
      const second = await login(t, owner.email, owner.password);
      t.clock.advance(60);
      const third = await login(t, owner.email, owner.password);
      t.clock.advance(60);
      // The first session is used again: now the second is the least recently used.
      const refreshed = await refresh(t, first.refresh_token);
      expect(refreshed.status).toBe(200);
      first = refreshed.body;
      t.clock.advance(60);

      const fourth = await login(t, owner.email, owner.password);

      expect(await liveIds(owner)).toEqual([sid(first), sid(third), sid(fourth)].sort());
      const [row] = await t.db.query('SELECT revoke_reason FROM sessions WHERE id = $1', [sid(second)]);
      expect(row.revoke_reason).toBe('session_limit');
      const events = await t.db.query(
        `SELECT actor_user_id, resource_id, details FROM audit_events WHERE account_id = $1 AND action = 'session.revoked'`,
        [owner.accountId],
      );
      expect(events).toEqual([
        {
          actor_user_id: owner.id,
          resource_id: sid(second),
          details: { session_id: sid(second), by: 'self', reason: 'session_limit' },
        },
      ]);
      const refusal = await refresh(t, second.refresh_token);
      expect(refusal.status).toBe(401);
      expect(refusal.body).toMatchObject({ code: 'invalid_refresh_token', reason: 'session_limit' });
      // Its access token stops at once, too.
      expect((await t.get('/api/auth/me', { token: second.access_token })).status).toBe(401);
      expect((await t.get('/api/auth/me', { token: fourth.access_token })).status).toBe(200);
    });

    it('two sign-ins at the cap at once never leave more than the cap alive', async () => {
      const owner = await signupOwner(t);
      for (let i = 1; i < CAP; i++) await login(t, owner.email, owner.password);
      expect(await liveIds(owner)).toHaveLength(CAP);
      const results = await Promise.all([0, 1, 2].map(() => login(t, owner.email, owner.password)));
      const live = await liveIds(owner);
      expect(live).toHaveLength(CAP);
      // The clock stands still here, so the sessions tie on last use: which ones survive is the
      // tie-break's business; that exactly CAP do, and each other one says why, is the cap's.
      for (const tokens of results) {
        if (live.includes(sid(tokens))) continue;
        expect((await refresh(t, tokens.refresh_token)).body).toMatchObject({ reason: 'session_limit' });
      }
      const [{ count }] = await t.db.query(
        `SELECT count(*)::int AS count FROM audit_events WHERE account_id = $1 AND action = 'session.revoked' AND details->>'reason' = 'session_limit'`,
        [owner.accountId],
      );
      expect(count).toBe(3);
    });

    it('does not count ended or expired sessions against the cap', async () => {
      const owner = await signupOwner(t);
      await login(t, owner.email, owner.password);
      // One expired (never marked ended by the sweeper yet), one ended by the user.
      await t.db.query(`UPDATE sessions SET last_used_at = last_used_at - interval '30 days' WHERE id = $1`, [sid(owner.tokens)]);
      const survivor = await login(t, owner.email, owner.password);
      await login(t, owner.email, owner.password);
      expect(await t.db.query(`SELECT 1 FROM sessions WHERE user_id = $1 AND revoke_reason = 'session_limit'`, [owner.id])).toEqual([]);
      expect((await t.get('/api/auth/me', { token: survivor.access_token })).status).toBe(200);
    });
  });

  describe('paging', () => {
    let owner: SignedInUser;
    let expected: string[];

    beforeAll(async () => {
      owner = await signupOwner(t);
      // 25 more live sessions, with ties on last_used_at (and on created_at) to test the page edges,
      // plus sessions the list must never show: ended, expired, and another user's.
      const now = t.clock.now().getTime();
      const rows: [string, Date, Date][] = [];
      for (let i = 0; i < 25; i++) {
        const lastUsed = new Date(now - 1000 * (60 + Math.floor(i / 4)) - (i % 3) * 0.001);
        rows.push([randomUUID(), lastUsed, new Date(lastUsed.getTime() - (i % 2) * 1000)]);
      }
      for (const [id, lastUsed, created] of rows) {
        await t.db.query(
          `INSERT INTO sessions (id, account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at)
           VALUES ($1, $2, $3, $4, 1800, 86400, 'test', '127.0.0.1', $4, $5)`,
          [id, owner.accountId, owner.id, created, lastUsed],
        );
      }
      await t.db.query(
        `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, created_at, last_used_at, revoked_at, revoke_reason)
         VALUES ($1, $2, $3, 1800, 86400, $3, $3, $3, 'logout'),
                ($1, $2, $4, 1800, 86400, $4, $4, NULL, NULL)`,
        [owner.accountId, owner.id, new Date(now - 1000), new Date(now - 2 * 86400 * 1000)],
      );
      const other = await signupOwner(t);
      expect(other.id).not.toBe(owner.id);
      const ordered: { id: string }[] = await t.db.query(
        `SELECT id FROM sessions
          WHERE user_id = $1 AND revoked_at IS NULL AND id <> $2
            AND auth_time + make_interval(secs => abs_max_seconds) > $3
            AND last_used_at + make_interval(secs => idle_max_seconds) > $3
          ORDER BY last_used_at DESC, created_at DESC, id DESC`,
        [owner.id, sid(owner.tokens), t.clock.now()],
      );
      expected = [sid(owner.tokens), ...ordered.map((r) => r.id)];
      expect(expected).toHaveLength(26);
    });

    const page = (query: string) =>
      t.get<{ id: string; is_current: boolean }[]>(`/api/me/sessions${query}`, { token: owner.tokens.access_token });

    it.each([1, 4, 7, 26, 200])('pages of %i cover every live session once, in order, the current one first', async (limit) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 30; pages++) {
        const response = await page(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        expect(response.body.length).toBeLessThanOrEqual(limit);
        seen.push(...response.body.map((s) => s.id));
        cursor = response.headers['next-cursor'] as string | undefined;
        if (!cursor) break;
      }
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('marks only the current session, and only on the first page', async () => {
      const first = await page('?limit=5');
      expect(first.body.map((s) => s.is_current)).toEqual([true, false, false, false, false]);
      const second = await page(`?limit=5&cursor=${first.headers['next-cursor']}`);
      expect(second.body.some((s) => s.is_current)).toBe(false);
    });

    it('pages by the cap by default (clients that do not page see a full page)', async () => {
      const response = await page('');
      expect(response.body.map((s) => s.id)).toEqual(expected.slice(0, CAP));
      expect(response.headers['next-cursor']).toBeDefined();
    });

    it.each(['abc', 'eyJ1IjoiMSJ9', Buffer.from(JSON.stringify({ u: '1', c: '1', id: 'x' })).toString('base64url'), 'a'.repeat(300)])(
      'refuses a cursor it did not issue (%s) with 422',
      async (cursor) => {
        const response = await page(`?cursor=${cursor}`);
        expect(response.status).toBe(422);
        expect((response.body as unknown as { code: string }).code).toBe('validation_failed');
      },
    );

    it.each(['0', '201', '1.5', 'x'])('refuses limit=%s with 422', async (limit) => {
      expect((await page(`?limit=${limit}`)).status).toBe(422);
    });

    it("a cursor never reveals another user's sessions", async () => {
      const stranger = await signupOwner(t);
      const first = await page('?limit=2');
      const response = await t.get<{ id: string }[]>(`/api/me/sessions?limit=50&cursor=${first.headers['next-cursor']}`, {
        token: stranger.tokens.access_token,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });
  });
});
