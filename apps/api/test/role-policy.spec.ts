import { addMember, decodeJwt, login, refresh, SignedInUser, signupOwner, Tokens } from './builders';
import { createTestApp, HttpResponse, TestApp } from './test-app';

const MINUTE = 60;
const DAY = 86_400;
const ROLES_URL = '/api/accounts/me/security/role-policies';

interface RolePolicy {
  role: string;
  idle_minutes: number | null;
  absolute_minutes: number | null;
  effective_idle_minutes: number;
  effective_absolute_minutes: number;
}

/**
 * Issue 15, item 2: an owner tightens the policy of one role. The effective policy of a
 * session is the account's tightened by its role's override; a stricter one reaches live
 * sessions at their next refresh (the rotation statement), a looser one only new sign-ins.
 */
describe('per-role session policy (real PostgreSQL, through HTTP, moving the injected clock)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** Access tokens live 5 minutes and these tests move hours: every owner call signs in afresh. */
  const token = async (user: SignedInUser) => (await login(t, user.email, user.password)).access_token;
  const put = async (owner: SignedInUser, role: string, body: unknown): Promise<HttpResponse<RolePolicy & { code?: string }>> =>
    t.request('PUT', `${ROLES_URL}/${role}`, body, { token: await token(owner) });
  const remove = async (owner: SignedInUser, role: string) => t.delete<RolePolicy>(`${ROLES_URL}/${role}`, { token: await token(owner) });
  const list = async (user: SignedInUser) => t.get<RolePolicy[]>(ROLES_URL, { token: await token(user) });
  const deadlines = (tokens: Tokens) => ({
    idle: (Date.parse(tokens.idle_expires_at) - t.clock.now().getTime()) / 1000,
    absolute: (Date.parse(tokens.absolute_expires_at) - t.clock.now().getTime()) / 1000,
  });
  const auditRows = (accountId: string) =>
    t.db.query(
      `SELECT details FROM audit_events WHERE account_id = $1 AND action = 'account.role_policy_update' ORDER BY occurred_at, details->>'role'`,
      [accountId],
    );

  describe('reading and setting', () => {
    it('lists every role with the account policy until an override is set; admins read it too', async () => {
      const owner = await signupOwner(t);
      const admin = await addMember(t, owner, 'admin');
      const response = await list(admin);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(
        ['owner', 'admin', 'engineer'].map((role) => ({
          role,
          idle_minutes: null,
          absolute_minutes: null,
          effective_idle_minutes: 4320,
          effective_absolute_minutes: 20160,
        })),
      );
    });

    it('an AAL2-style override (30 min / 12 h) for owners and admins leaves engineers on the account default; audited with old/new/effective', async () => {
      const owner = await signupOwner(t);
      const set = await put(owner, 'admin', { idle_minutes: 30, absolute_minutes: 720 });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({
        role: 'admin',
        idle_minutes: 30,
        absolute_minutes: 720,
        effective_idle_minutes: 30,
        effective_absolute_minutes: 720,
      });
      // Only an absolute limit: idle is capped at it (an idle timeout longer could never fire).
      expect((await put(owner, 'owner', { absolute_minutes: 120 })).body).toMatchObject({
        idle_minutes: null,
        absolute_minutes: 120,
        effective_idle_minutes: 120,
        effective_absolute_minutes: 120,
      });
      const listed = (await list(owner)).body;
      expect(listed.find((r) => r.role === 'engineer')).toMatchObject({ effective_idle_minutes: 4320, effective_absolute_minutes: 20160 });

      expect(await auditRows(owner.accountId)).toEqual([
        {
          details: {
            role: 'admin',
            old: null,
            new: { idle_minutes: 30, absolute_minutes: 720 },
            effective_old: { idle_minutes: 4320, absolute_minutes: 20160 },
            effective_new: { idle_minutes: 30, absolute_minutes: 720 },
          },
        },
        {
          details: {
            role: 'owner',
            old: null,
            new: { idle_minutes: null, absolute_minutes: 120 },
            effective_old: { idle_minutes: 4320, absolute_minutes: 20160 },
            effective_new: { idle_minutes: 120, absolute_minutes: 120 },
          },
        },
      ]);
      // The same PUT again changes nothing and records nothing.
      expect((await put(owner, 'admin', { idle_minutes: 30, absolute_minutes: 720 })).status).toBe(200);
      expect(await auditRows(owner.accountId)).toHaveLength(2);
    });

    it('an override looser than the account policy is kept but has no effect; a stricter account policy wins', async () => {
      const owner = await signupOwner(t);
      await t.patch('/api/accounts/me/security', { idle_minutes: 60, absolute_minutes: 240 }, { token: await token(owner) });
      const set = await put(owner, 'engineer', { idle_minutes: 120, absolute_minutes: 720 });
      expect(set.body).toMatchObject({
        idle_minutes: 120,
        absolute_minutes: 720,
        effective_idle_minutes: 60,
        effective_absolute_minutes: 240,
      });
    });

    it.each([
      [{ idle_minutes: 14 }, 'idle_minutes'],
      [{ idle_minutes: 43201 }, 'idle_minutes'],
      [{ absolute_minutes: 59 }, 'absolute_minutes'],
      [{ absolute_minutes: 129601 }, 'absolute_minutes'],
      [{ idle_minutes: 800, absolute_minutes: 720 }, 'idle_minutes'],
      [{}, 'idle_minutes'],
      [{ idle_minutes: null, absolute_minutes: null }, 'idle_minutes'],
      [{ idle_minutes: '30' }, 'idle_minutes'],
      [{ idle_minutes: 30.5 }, 'idle_minutes'],
    ])('refuses %j with a 422 validation_failed naming %s, and stores nothing', async (body, field) => {
      const owner = await signupOwner(t);
      const response = await put(owner, 'engineer', body);
      expect(response.status).toBe(422);
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        code: 'validation_failed',
        errors: expect.arrayContaining([expect.objectContaining({ field })]),
      });
      expect(await t.db.query('SELECT 1 FROM role_policies WHERE account_id = $1', [owner.accountId])).toEqual([]);
      expect(await auditRows(owner.accountId)).toEqual([]);
    });

    it.each(['superuser', 'OWNER', '%00', 'owner;drop'])('refuses the unknown role %s with a 422 naming the parameter', async (role) => {
      const owner = await signupOwner(t);
      const response = await put(owner, encodeURIComponent(role), { idle_minutes: 30 });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'role' }] });
    });

    it("another account's owner neither sees nor changes this account's overrides", async () => {
      const owner = await signupOwner(t);
      const stranger = await signupOwner(t);
      await put(owner, 'engineer', { idle_minutes: 30 });
      expect((await list(stranger)).body.every((r) => r.idle_minutes === null)).toBe(true);
      // The stranger's PUT and DELETE reach only their own account.
      await put(stranger, 'engineer', { idle_minutes: 45 });
      await remove(stranger, 'engineer');
      expect((await list(owner)).body.find((r) => r.role === 'engineer')).toMatchObject({ idle_minutes: 30 });
      expect(await auditRows(owner.accountId)).toHaveLength(1);
    });
  });

  describe('sessions', () => {
    it('a new sign-in snapshots its role-tightened policy; other roles keep the account policy', async () => {
      const owner = await signupOwner(t);
      await put(owner, 'engineer', { idle_minutes: 30, absolute_minutes: 720 });
      const engineer = await addMember(t, owner, 'engineer');
      const admin = await addMember(t, owner, 'admin');
      expect(decodeJwt(engineer.tokens.refresh_token)).toMatchObject({ idle_max: 30 * MINUTE, abs_max: 720 * MINUTE });
      expect(deadlines(engineer.tokens)).toEqual({ idle: 30 * MINUTE, absolute: 720 * MINUTE });
      expect(decodeJwt(admin.tokens.refresh_token)).toMatchObject({ idle_max: 3 * DAY, abs_max: 14 * DAY });
    });

    it('a stricter override reaches a live session at its next refresh, and then ends it when idle past the new limit', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      t.clock.advance(10 * MINUTE);
      await put(owner, 'engineer', { idle_minutes: 30 });
      t.clock.advance(20 * MINUTE);
      // 30 minutes since the last use, the tightened idle limit: the boundary is expired.
      const refused = await refresh(t, engineer.tokens.refresh_token);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'session_expired_idle', reason: 'expired_idle' });
      const [row] = await t.db.query('SELECT revoke_reason FROM sessions WHERE id = $1', [decodeJwt(engineer.tokens.access_token)['sid']]);
      expect(row.revoke_reason).toBe('expired_idle');
    });

    it('a stricter override carries forward: a refresh inside the new limit tightens the snapshot for good', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      await put(owner, 'engineer', { idle_minutes: 30 });
      t.clock.advance(10 * MINUTE);
      const rotated = await refresh(t, engineer.tokens.refresh_token);
      expect(rotated.status).toBe(200);
      expect(decodeJwt(rotated.body.refresh_token)).toMatchObject({ idle_max: 30 * MINUTE, abs_max: 14 * DAY });
      expect(deadlines(rotated.body).idle).toBe(30 * MINUTE);
      // Removing the override does not loosen the live session ("tighter now, looser later")…
      expect((await remove(owner, 'engineer')).body).toMatchObject({ idle_minutes: null, effective_idle_minutes: 4320 });
      t.clock.advance(10 * MINUTE);
      const again = await refresh(t, rotated.body.refresh_token);
      expect(decodeJwt(again.body.refresh_token)).toMatchObject({ idle_max: 30 * MINUTE });
      t.clock.advance(31 * MINUTE);
      expect((await refresh(t, again.body.refresh_token)).body).toMatchObject({ code: 'session_expired_idle', reason: 'expired_idle' });
      // …while a new sign-in gets the account policy again.
      expect(decodeJwt((await login(t, engineer.email, engineer.password)).refresh_token)).toMatchObject({ idle_max: 3 * DAY });
      const [removal] = (await auditRows(owner.accountId)).slice(-1);
      expect(removal.details).toEqual({
        role: 'engineer',
        old: { idle_minutes: 30, absolute_minutes: null },
        new: null,
        effective_old: { idle_minutes: 30, absolute_minutes: 20160 },
        effective_new: { idle_minutes: 4320, absolute_minutes: 20160 },
      });
    });

    it('a stricter absolute override whose limit has already passed ends the session at its next refresh (session_expired_absolute)', async () => {
      const owner = await signupOwner(t);
      const engineer = await addMember(t, owner, 'engineer');
      t.clock.advance(2 * 3600);
      const rotated = await refresh(t, engineer.tokens.refresh_token);
      expect(rotated.status).toBe(200);
      await put(owner, 'engineer', { absolute_minutes: 60 });
      t.clock.advance(MINUTE);
      const refused = await refresh(t, rotated.body.refresh_token);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'session_expired_absolute', reason: 'expired_absolute' });
    });

    it('an override of another role leaves the session alone; a looser override never extends a live session', async () => {
      const owner = await signupOwner(t);
      await put(owner, 'engineer', { idle_minutes: 60 });
      const engineer = await addMember(t, owner, 'engineer');
      await put(owner, 'admin', { idle_minutes: 15 });
      await put(owner, 'engineer', { idle_minutes: 120 });
      t.clock.advance(30 * MINUTE);
      const rotated = await refresh(t, engineer.tokens.refresh_token);
      expect(rotated.status).toBe(200);
      expect(decodeJwt(rotated.body.refresh_token)).toMatchObject({ idle_max: 60 * MINUTE });
    });

    it("the rotation reads the user's current role: a role whose override is stricter applies at the next refresh", async () => {
      // Changing a role through the API also ends the member's sessions (`role_changed`, below);
      // the rotation must not depend on that: it joins the role of the user row, never the token's.
      const owner = await signupOwner(t);
      await put(owner, 'admin', { idle_minutes: 30, absolute_minutes: 720 });
      const engineer = await addMember(t, owner, 'engineer');
      await t.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [engineer.id]);
      t.clock.advance(10 * MINUTE);
      const rotated = await refresh(t, engineer.tokens.refresh_token);
      expect(rotated.status).toBe(200);
      expect(decodeJwt(rotated.body.refresh_token)).toMatchObject({ idle_max: 30 * MINUTE, abs_max: 720 * MINUTE });
      expect(decodeJwt(rotated.body.access_token)).toMatchObject({ role: 'admin' });
      t.clock.advance(12 * 3600);
      expect((await refresh(t, rotated.body.refresh_token)).body).toMatchObject({
        code: 'session_expired_absolute',
        reason: 'expired_absolute',
      });
    });

    it('a role change through the API ends the sessions (role_changed); the next sign-in gets the new role’s policy', async () => {
      const owner = await signupOwner(t);
      await put(owner, 'admin', { idle_minutes: 30, absolute_minutes: 720 });
      const engineer = await addMember(t, owner, 'engineer');
      const changed = await t.patch(`/api/accounts/me/members/${engineer.id}`, { role: 'admin' }, { token: await token(owner) });
      expect(changed.status).toBe(200);
      expect((await refresh(t, engineer.tokens.refresh_token)).body).toMatchObject({
        code: 'invalid_refresh_token',
        reason: 'role_changed',
      });
      expect(decodeJwt((await login(t, engineer.email, engineer.password)).refresh_token)).toMatchObject({
        idle_max: 30 * MINUTE,
        abs_max: 720 * MINUTE,
      });
    });

    it('an owner tightening their own role is held to it too', async () => {
      const owner = await signupOwner(t);
      await put(owner, 'owner', { idle_minutes: 30 });
      t.clock.advance(31 * MINUTE);
      expect((await refresh(t, owner.tokens.refresh_token)).body).toMatchObject({ code: 'session_expired_idle', reason: 'expired_idle' });
    });
  });
});
