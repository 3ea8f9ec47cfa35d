import { addMember, decodeJwt, login, refresh, SignedInUser, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

const SECURITY = '/api/accounts/me/security';
const REVOKE = '/api/accounts/me/security/revoke-sessions';
const AUDIT = '/api/accounts/me/audit-events';

/** The problem `code` of an error answer, whatever the success type of the call. */
const codeOf = (response: { body: unknown }) => (response.body as { code?: string }).code;

interface AuditRow {
  action: string;
  actor_user_id: string | null;
  resource_type: string;
  resource_id: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

describe('account security (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditRows = (accountId: string, action: string): Promise<AuditRow[]> =>
    t.db.query(
      `SELECT action, actor_user_id, resource_type, resource_id, details, ip, user_agent
         FROM audit_events WHERE account_id = $1 AND action = $2 ORDER BY occurred_at, id`,
      [accountId, action],
    );

  const getPolicy = (owner: SignedInUser) => t.get(SECURITY, { token: owner.tokens.access_token });
  const patchPolicy = (owner: SignedInUser, body: unknown) => t.patch(SECURITY, body, { token: owner.tokens.access_token });

  describe('GET /api/accounts/me/security', () => {
    it('returns no overrides, the Strict defaults, the configured bounds and who is signed in', async () => {
      const owner = await signupOwner(t);
      t.clock.advance(60);
      const engineer = await addMember(t, owner, 'engineer');
      const stranger = await signupOwner(t);

      const response = await getPolicy(owner);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        idle_minutes: null,
        absolute_minutes: null,
        effective_idle_minutes: 4320,
        effective_absolute_minutes: 20160,
        idle_minutes_default: 4320,
        absolute_minutes_default: 20160,
        idle_minutes_min: 15,
        idle_minutes_max: 43200,
        absolute_minutes_min: 60,
        absolute_minutes_max: 129600,
        preset: 'strict',
      });
      const users = response.body.active_users as {
        user_id: string;
        name: string;
        email: string;
        last_login_at: string;
        session_count: number;
      }[];
      expect(users.map((u) => u.user_id)).toEqual([engineer.id, owner.id]); // most recent sign-in first
      expect(users[1]).toEqual({
        user_id: owner.id,
        name: 'Owner',
        email: owner.email,
        last_login_at: expect.any(String),
        session_count: 1,
      });
      expect(Number.isNaN(Date.parse(users[1].last_login_at))).toBe(false);
      expect(users.map((u) => u.user_id)).not.toContain(stranger.id);
    });

    it('lists each signed-in user once with their number of devices, ordered by their latest sign-in', async () => {
      const owner = await signupOwner(t);
      t.clock.advance(60);
      const admin = await addMember(t, owner, 'admin');
      const ended = await login(t, admin.email, admin.password);
      await t.post('/api/auth/logout', { refresh_token: ended.refresh_token }); // ended sessions do not count
      t.clock.advance(60);
      await login(t, owner.email, owner.password); // the owner now has two live sessions
      await login(t, owner.email, owner.password); // … and three

      const response = await getPolicy(owner);

      expect(response.status).toBe(200);
      const users = response.body.active_users as { user_id: string; session_count: number }[];
      expect(users.map((u) => [u.user_id, u.session_count])).toEqual([
        [owner.id, 3],
        [admin.id, 1],
      ]);
    });

    it('leaves out users whose sessions are past their idle deadline', async () => {
      const owner = await signupOwner(t);
      expect((await patchPolicy(owner, { idle_minutes: 15 })).status).toBe(200);
      const engineer = await addMember(t, owner, 'engineer'); // snapshots the 15-minute idle timeout
      expect((await getPolicy(owner)).body.active_users.map((u: { user_id: string }) => u.user_id)).toContain(engineer.id);

      t.clock.advance(15 * 60);
      const ownerAgain = { ...owner, tokens: await login(t, owner.email, owner.password) }; // the old access token expired
      const response = await getPolicy(ownerAgain);

      expect(response.status).toBe(200);
      expect(response.body.active_users.map((u: { user_id: string }) => u.user_id)).toEqual([owner.id]);
    });
  });

  describe('PATCH /api/accounts/me/security', () => {
    it('persists the overrides and new sign-ins snapshot them into their tokens', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');

      const response = await patchPolicy(owner, { idle_minutes: 60, absolute_minutes: 240 });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        idle_minutes: 60,
        absolute_minutes: 240,
        effective_idle_minutes: 60,
        effective_absolute_minutes: 240,
        preset: 'custom',
        idle_minutes_min: 15,
      });
      expect((await getPolicy(owner)).body).toMatchObject({ idle_minutes: 60, absolute_minutes: 240 });
      const [row] = await t.db.query('SELECT session_idle_minutes, session_absolute_minutes FROM accounts WHERE id = $1', [
        owner.accountId,
      ]);
      expect(row).toEqual({ session_idle_minutes: 60, session_absolute_minutes: 240 });

      const tokens = await login(t, engineer.email, engineer.password);
      const claims = decodeJwt(tokens.refresh_token);
      expect(claims['idle_max']).toBe(60 * 60);
      expect(claims['abs_max']).toBe(240 * 60);
    });

    it('writes exactly one audit event with the old, new and effective values', async () => {
      const owner = await signupOwner(t);
      expect((await patchPolicy(owner, { absolute_minutes: 30000 })).status).toBe(200);
      expect(await auditRows(owner.accountId, 'account.session_policy_update')).toHaveLength(1);
      t.clock.advance(1); // rows are compared in time order

      const response = await t.patch(
        SECURITY,
        { idle_minutes: 60 },
        { token: owner.tokens.access_token, ip: '203.0.113.9', userAgent: 'audit-test/1.0' },
      );
      expect(response.status).toBe(200);

      const rows = await auditRows(owner.accountId, 'account.session_policy_update');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toEqual({
        action: 'account.session_policy_update',
        actor_user_id: owner.id,
        resource_type: 'account',
        resource_id: owner.accountId,
        ip: '203.0.113.9',
        user_agent: 'audit-test/1.0',
        details: {
          old: { idle_minutes: null, absolute_minutes: 30000 },
          new: { idle_minutes: 60, absolute_minutes: 30000 },
          effective_old: { idle_minutes: 4320, absolute_minutes: 30000 },
          effective_new: { idle_minutes: 60, absolute_minutes: 30000 },
        },
      });
    });

    it('clears an override with null, leaves absent fields alone and accepts an empty body', async () => {
      const owner = await signupOwner(t);
      expect((await patchPolicy(owner, { idle_minutes: 60, absolute_minutes: 30000 })).status).toBe(200);

      const cleared = await patchPolicy(owner, { idle_minutes: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        idle_minutes: null,
        absolute_minutes: 30000,
        effective_idle_minutes: 4320,
        effective_absolute_minutes: 30000,
      });

      const standard = await patchPolicy(owner, { idle_minutes: 10080, absolute_minutes: 43200 });
      expect(standard.body).toMatchObject({ preset: 'standard' });

      const strict = await patchPolicy(owner, { idle_minutes: null, absolute_minutes: null });
      expect(strict.status).toBe(200);
      expect(strict.body).toMatchObject({
        idle_minutes: null,
        absolute_minutes: null,
        effective_idle_minutes: 4320,
        effective_absolute_minutes: 20160,
        preset: 'strict',
      });

      // A PATCH that changes nothing answers the policy but records no change.
      const before = (await auditRows(owner.accountId, 'account.session_policy_update')).length;
      const empty = await patchPolicy(owner, {});
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ idle_minutes: null, absolute_minutes: null, preset: 'strict' });
      expect(await auditRows(owner.accountId, 'account.session_policy_update')).toHaveLength(before);
      expect(before).toBe(4);
    });

    it.each([
      ['idle below its minimum', { idle_minutes: 14 }, 'idle_minutes', /15.*43200/],
      ['absolute above its maximum', { absolute_minutes: 129601 }, 'absolute_minutes', /60.*129600/],
      ['idle longer than absolute', { idle_minutes: 600, absolute_minutes: 300 }, 'idle_minutes', /absolute/],
      ['idle longer than the default absolute', { idle_minutes: 43200 }, 'idle_minutes', /20160/],
      ['absolute shorter than the default idle', { absolute_minutes: 60 }, 'absolute_minutes', /4320/],
      ['a fractional number', { idle_minutes: 60.5 }, 'idle_minutes', /integer/],
      ['a numeric string', { absolute_minutes: '240' }, 'absolute_minutes', /integer/],
      ['a boolean', { idle_minutes: true }, 'idle_minutes', /integer/],
      ['an unknown field', { idle: 60 }, 'idle', /should not exist/],
    ])('rejects %s with 422 and writes nothing', async (_name, body, field, message) => {
      const owner = await signupOwner(t);

      const response = await patchPolicy(owner, body);

      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
      const [row] = await t.db.query('SELECT session_idle_minutes, session_absolute_minutes FROM accounts WHERE id = $1', [
        owner.accountId,
      ]);
      expect(row).toEqual({ session_idle_minutes: null, session_absolute_minutes: null });
      expect(await auditRows(owner.accountId, 'account.session_policy_update')).toHaveLength(0);
    });

    it('checks a partial change against the stored value of the other field', async () => {
      const owner = await signupOwner(t);
      expect((await patchPolicy(owner, { idle_minutes: 120, absolute_minutes: 240 })).status).toBe(200);

      const response = await patchPolicy(owner, { idle_minutes: 300 });

      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ field: 'idle_minutes', message: expect.stringContaining('240') }]);
      expect((await getPolicy(owner)).body).toMatchObject({ idle_minutes: 120, absolute_minutes: 240 });
      expect(await auditRows(owner.accountId, 'account.session_policy_update')).toHaveLength(1);
    });
  });

  describe('POST /api/accounts/me/security/revoke-sessions', () => {
    it('scope=all ends every session of the account, the caller’s included, and no other account’s', async () => {
      const owner = await signupOwner(t);
      const admin = await addMember(t, owner, 'admin');
      const engineer = await addMember(t, owner, 'engineer');
      const stranger = await signupOwner(t);

      const response = await t.post(REVOKE, { scope: 'all' }, { token: owner.tokens.access_token });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ revoked_count: 3 });
      for (const user of [owner, admin, engineer]) {
        const me = await t.get('/api/auth/me', { token: user.tokens.access_token });
        expect(me.status).toBe(401);
        expect(me.body.code).toBe('unauthenticated');
        const refused = await refresh(t, user.tokens.refresh_token);
        expect(refused.status).toBe(401);
        expect(codeOf(refused)).toBe('invalid_refresh_token');
      }
      expect((await t.get('/api/auth/me', { token: stranger.tokens.access_token })).status).toBe(200);
      expect((await refresh(t, stranger.tokens.refresh_token)).status).toBe(200);

      const rows = await auditRows(owner.accountId, 'account.sessions_revoked_bulk');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_user_id: owner.id,
        resource_type: 'account',
        resource_id: owner.accountId,
        details: { scope: 'all', revoked_count: 3 },
      });
      expect(await auditRows(stranger.accountId, 'account.sessions_revoked_bulk')).toHaveLength(0);
    });

    it('scope=others keeps every session of the caller (all devices), ends every other user’s, and a second call ends none', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      const engineerLaptop = await login(t, engineer.email, engineer.password);
      const admin = await addMember(t, owner, 'admin');
      const coOwner = await addMember(t, owner, 'owner');
      const ownerLaptop = await login(t, owner.email, owner.password);
      const stranger = await signupOwner(t);

      const first = await t.post(REVOKE, { scope: 'others' }, { token: owner.tokens.access_token });

      expect(first.status).toBe(200);
      expect(first.body).toEqual({ revoked_count: 4 }); // engineer ×2, admin, co-owner; none of the caller's two
      for (const tokens of [engineer.tokens, engineerLaptop, admin.tokens, coOwner.tokens]) {
        expect((await t.get('/api/auth/me', { token: tokens.access_token })).body.code).toBe('unauthenticated');
        const refused = await refresh(t, tokens.refresh_token);
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ code: 'invalid_refresh_token', reason: 'revoked_by_owner' });
      }
      // Both of the owner's devices stay signed in.
      for (const tokens of [owner.tokens, ownerLaptop]) {
        expect((await t.get('/api/auth/me', { token: tokens.access_token })).status).toBe(200);
      }
      expect((await getPolicy(owner)).body.active_users.map((u: { user_id: string }) => u.user_id)).toEqual([owner.id]);

      t.clock.advance(1); // rows are compared in time order
      const second = await t.post(REVOKE, { scope: 'others' }, { token: owner.tokens.access_token });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ revoked_count: 0 });

      expect((await refresh(t, owner.tokens.refresh_token)).status).toBe(200);
      expect((await refresh(t, ownerLaptop.refresh_token)).status).toBe(200);
      expect((await refresh(t, stranger.tokens.refresh_token)).status).toBe(200);

      // Every call is audited, the empty one too.
      const rows = await auditRows(owner.accountId, 'account.sessions_revoked_bulk');
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        actor_user_id: owner.id,
        resource_type: 'account',
        resource_id: owner.accountId,
        details: { scope: 'others', revoked_count: 4 },
      });
      expect(rows[1].details).toEqual({ scope: 'others', revoked_count: 0 });
      expect(await auditRows(stranger.accountId, 'account.sessions_revoked_bulk')).toHaveLength(0);
    });

    it('scope=others refuses tokens of sessions idle for minutes (the account rule, not ids) and none minted after it', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      t.clock.advance(120); // past the one-minute margin: no id of this session is sent, only the account rule covers it
      const engineerLaptop = await login(t, engineer.email, engineer.password); // used this second: its id is sent too

      const response = await t.post(REVOKE, { scope: 'others' }, { token: owner.tokens.access_token });

      expect(response.body).toEqual({ revoked_count: 2 });
      for (const token of [engineer.tokens.access_token, engineerLaptop.access_token]) {
        const me = await t.get('/api/auth/me', { token });
        expect(me.status).toBe(401);
        expect(me.body.code).toBe('unauthenticated');
      }
      // The caller's token, issued two minutes before, is not the rule's; nor is a sign-in after it, in the same second.
      expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(200);
      const after = await login(t, engineer.email, engineer.password);
      expect((await t.get('/api/auth/me', { token: after.access_token })).status).toBe(200);
      t.clock.advance(1);
      const refreshed = await refresh(t, after.refresh_token);
      expect(refreshed.status).toBe(200);
      expect((await t.get('/api/auth/me', { token: refreshed.body.access_token })).status).toBe(200);
    });

    it('scope=others by an owner alone in the account ends nothing, not even their other devices', async () => {
      const owner = await signupOwner(t);
      const phone = await login(t, owner.email, owner.password);

      const response = await t.post(REVOKE, { scope: 'others' }, { token: owner.tokens.access_token });

      expect(response.body).toEqual({ revoked_count: 0 });
      expect((await t.get('/api/auth/me', { token: phone.access_token })).status).toBe(200);
      expect((await refresh(t, phone.refresh_token)).status).toBe(200);
    });

    it.each([
      ['no body', undefined],
      ['an empty object', {}],
    ])('defaults to scope=all with %s', async (_name, body) => {
      const owner = await signupOwner(t);
      await addMember(t, owner, 'engineer');

      const response = await t.post(REVOKE, body, { token: owner.tokens.access_token });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ revoked_count: 2 });
      expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(401);
      const rows = await auditRows(owner.accountId, 'account.sessions_revoked_bulk');
      expect(rows.map((row) => row.details)).toEqual([{ scope: 'all', revoked_count: 2 }]);
    });

    it.each([
      ['an unknown scope', { scope: 'everyone' }, 'scope'],
      ['a null scope', { scope: null }, 'scope'],
      ['an unknown field', { scope: 'all', force: true }, 'force'],
    ])('rejects %s with 422 and ends nothing', async (_name, body, field) => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');

      const response = await t.post(REVOKE, body, { token: owner.tokens.access_token });

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await t.get('/api/auth/me', { token: engineer.tokens.access_token })).status).toBe(200);
      expect(await auditRows(owner.accountId, 'account.sessions_revoked_bulk')).toHaveLength(0);
    });
  });

  describe('roles', () => {
    it.each(['admin', 'engineer'] as const)('forbids %s every endpoint of the account security and audit pages', async (role) => {
      const owner = await signupOwner(t);
      const member = await addMember(t, owner, role);
      const token = member.tokens.access_token;

      const responses = [
        await t.get(SECURITY, { token }),
        await t.patch(SECURITY, { idle_minutes: 60 }, { token }),
        await t.post(REVOKE, { scope: 'all' }, { token }),
        await t.get(AUDIT, { token }),
      ];

      for (const response of responses) {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('forbidden');
      }
      // Nothing happened on their behalf.
      expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(200);
      expect((await getPolicy(owner)).body).toMatchObject({ idle_minutes: null });
      expect(await auditRows(owner.accountId, 'account.sessions_revoked_bulk')).toHaveLength(0);
    });

    it('requires a valid access token', async () => {
      for (const response of [await t.get(SECURITY), await t.patch(SECURITY, {}), await t.post(REVOKE, {}), await t.get(AUDIT)]) {
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('unauthenticated');
      }
    });
  });
});
