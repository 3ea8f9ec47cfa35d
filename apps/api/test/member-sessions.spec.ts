import { addMember, login, refresh, SignedInUser, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

const MEMBERS = '/api/accounts/me/members';
const sessionsOf = (memberId: string) => `${MEMBERS}/${memberId}/sessions`;
const sidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sid as string;

describe("members' sessions and active devices (real PostgreSQL, through HTTP)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const as = (user: SignedInUser) => ({ token: user.tokens.access_token });

  it('lists members with their number of live devices, counted within the account only', async () => {
    const owner = await signupOwner(t);
    const engineer = await addMember(t, owner, 'engineer');
    await login(t, engineer.email, engineer.password); // a second device
    const idle = await addMember(t, owner, 'admin');
    await t.post('/api/auth/logout', { refresh_token: idle.tokens.refresh_token }, as(idle));
    const stranger = await signupOwner(t);
    await login(t, stranger.email, stranger.password);

    const response = await t.get(MEMBERS, as(owner));

    expect(response.status).toBe(200);
    const counts = Object.fromEntries(
      (response.body as { id: string; active_session_count: number }[]).map((m) => [m.id, m.active_session_count]),
    );
    expect(counts).toEqual({ [owner.id]: 1, [engineer.id]: 2, [idle.id]: 0 });

    // Past the idle deadline a session is no longer counted, even before the sweeper ends it.
    t.clock.advance(4320 * 60);
    const later = await t.get(MEMBERS, as(await signInAgain(owner)));
    const after = Object.fromEntries(
      (later.body as { id: string; active_session_count: number }[]).map((m) => [m.id, m.active_session_count]),
    );
    expect(after).toEqual({ [owner.id]: 1, [engineer.id]: 0, [idle.id]: 0 });
  });

  const signInAgain = async (user: SignedInUser): Promise<SignedInUser> => ({ ...user, tokens: await login(t, user.email, user.password) });

  it("lets an owner list a member's devices and sign one out; the member's refresh is refused as revoked_by_owner", async () => {
    const owner = await signupOwner(t);
    const engineer = await addMember(t, owner, 'engineer', {
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0 Safari/537.36',
    });
    const laptop = engineer.tokens;
    const phone = await login(t, engineer.email, engineer.password);

    const list = await t.get(sessionsOf(engineer.id), as(owner));
    expect(list.status).toBe(200);
    expect(list.body.map((s: { id: string }) => s.id).sort()).toEqual([sidOf(laptop.access_token), sidOf(phone.access_token)].sort());
    expect(list.body.every((s: { is_current: boolean }) => !s.is_current)).toBe(true);

    const ended = await t.delete(`${sessionsOf(engineer.id)}/${sidOf(laptop.access_token)}`, as(owner));
    expect(ended.status).toBe(204);

    const refused = await refresh(t, laptop.refresh_token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'invalid_refresh_token', reason: 'revoked_by_owner' });
    expect((await t.get('/api/me/sessions', { token: laptop.access_token })).status).toBe(401);
    expect((await refresh(t, phone.refresh_token)).status).toBe(200);

    // Already ended: 404, not a second success.
    expect((await t.delete(`${sessionsOf(engineer.id)}/${sidOf(laptop.access_token)}`, as(owner))).status).toBe(404);

    const audit = await t.db.query(
      `SELECT actor_user_id, resource_id, details FROM audit_events WHERE account_id = $1 AND action = 'session.revoked'`,
      [owner.accountId],
    );
    expect(audit).toEqual([
      {
        actor_user_id: owner.id,
        resource_id: sidOf(laptop.access_token),
        details: { session_id: sidOf(laptop.access_token), by: 'owner', reason: 'owner_revoked', user_id: engineer.id },
      },
    ]);
  });

  it('signs a member out of every device, once', async () => {
    const owner = await signupOwner(t);
    const admin = await addMember(t, owner, 'admin');
    const second = await login(t, admin.email, admin.password);

    const response = await t.delete(sessionsOf(admin.id), as(owner));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ revoked_count: 2 });
    for (const tokens of [admin.tokens, second])
      expect((await refresh(t, tokens.refresh_token)).body).toMatchObject({ reason: 'revoked_by_owner' });
    expect((await t.delete(sessionsOf(admin.id), as(owner))).body).toEqual({ revoked_count: 0 });
    expect((await t.get(sessionsOf(admin.id), as(owner))).body).toEqual([]);
    const rows = await t.db.query(`SELECT revoke_reason FROM sessions WHERE user_id = $1`, [admin.id]);
    expect(rows).toEqual([{ revoke_reason: 'owner_revoked' }, { revoke_reason: 'owner_revoked' }]);
    // The owner's own session is untouched.
    expect((await t.get(MEMBERS, as(owner))).status).toBe(200);
  });

  it("never reaches another account's member or session (404), nor a session of a different member", async () => {
    const ownerA = await signupOwner(t);
    const memberA = await addMember(t, ownerA, 'engineer');
    const otherA = await addMember(t, ownerA, 'engineer');
    const ownerB = await signupOwner(t);
    const memberB = await addMember(t, ownerB, 'engineer');
    const sessionB = sidOf(memberB.tokens.access_token);

    expect((await t.get(sessionsOf(memberB.id), as(ownerA))).status).toBe(404);
    expect((await t.delete(sessionsOf(memberB.id), as(ownerA))).status).toBe(404);
    expect((await t.delete(`${sessionsOf(memberB.id)}/${sessionB}`, as(ownerA))).status).toBe(404);
    // Own member in the path, foreign session id: still 404.
    expect((await t.delete(`${sessionsOf(memberA.id)}/${sessionB}`, as(ownerA))).status).toBe(404);
    // Another member's session under this member's path: 404 too.
    expect((await t.delete(`${sessionsOf(memberA.id)}/${sidOf(otherA.tokens.access_token)}`, as(ownerA))).status).toBe(404);

    expect((await refresh(t, memberB.tokens.refresh_token)).status).toBe(200);
    expect((await refresh(t, otherA.tokens.refresh_token)).status).toBe(200);
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'session.revoked' AND account_id IN ($1, $2)`,
      [ownerA.accountId, ownerB.accountId],
    );
    expect(audit[0].n).toBe(0);
  });

  it('is for owners only: admins and engineers get 403, bad ids 422', async () => {
    const owner = await signupOwner(t);
    const admin = await addMember(t, owner, 'admin');
    const engineer = await addMember(t, owner, 'engineer');
    const sid = sidOf(engineer.tokens.access_token);

    for (const caller of [admin, engineer]) {
      expect((await t.get(sessionsOf(engineer.id), as(caller))).status).toBe(403);
      expect((await t.delete(sessionsOf(engineer.id), as(caller))).status).toBe(403);
      expect((await t.delete(`${sessionsOf(engineer.id)}/${sid}`, as(caller))).status).toBe(403);
    }
    expect((await t.get(sessionsOf(engineer.id))).status).toBe(401);
    expect((await t.get(sessionsOf('42'), as(owner))).status).toBe(422);
    expect((await t.delete(`${sessionsOf(engineer.id)}/nope`, as(owner))).status).toBe(422);
    expect((await refresh(t, engineer.tokens.refresh_token)).status).toBe(200);
  });
});
