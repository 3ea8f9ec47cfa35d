import { addMember, decodeJwt, login, refresh, SignedInUser, signupOwner, Tokens } from './builders';
import { createTestApp, TestApp } from './test-app';

const SYSTEM_CAP = 6;
const SECURITY_URL = '/api/accounts/me/security';

/**
 * Issue 15, item 3: the owner caps live sessions per user for the account (at most the
 * system cap). A sign-in beyond it ends the least recently used session (`session_limit`,
 * audited); a lower cap ends the excess at once (ADR 0019).
 */
describe('per-account session cap (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SESSION_MAX_PER_USER: String(SYSTEM_CAP) });
  });
  afterAll(() => t.close());

  const sid = (tokens: Tokens) => decodeJwt(tokens.access_token)['sid'] as string;
  const liveIds = async (user: SignedInUser): Promise<string[]> =>
    (await t.db.query('SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id', [user.id])).map(
      (r: { id: string }) => r.id,
    );
  const setCap = (owner: SignedInUser, cap: unknown, token = owner.tokens.access_token) =>
    t.patch(SECURITY_URL, { max_sessions_per_user: cap }, { token });
  const signInTimes = async (user: SignedInUser, n: number): Promise<Tokens[]> => {
    const out: Tokens[] = [];
    for (let i = 0; i < n; i++) {
      t.clock.advance(60);
      out.push(await login(t, user.email, user.password));
    }
    return out;
  };

  it('shows the system cap until the owner sets one', async () => {
    const owner = await signupOwner(t);
    const response = await t.get(SECURITY_URL, { token: owner.tokens.access_token });
    expect(response.body).toMatchObject({
      max_sessions_per_user: null,
      effective_max_sessions_per_user: SYSTEM_CAP,
      system_max_sessions_per_user: SYSTEM_CAP,
    });
  });

  it.each([0, -1, SYSTEM_CAP + 1, 2.5, '2', true])('refuses the cap %p with 422 validation_failed, changing nothing', async (cap) => {
    const owner = await signupOwner(t);
    const response = await setCap(owner, cap);
    expect(response.status).toBe(422);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field: 'max_sessions_per_user' })]),
    });
    const [row] = await t.db.query('SELECT max_sessions_per_user FROM accounts WHERE id = $1', [owner.accountId]);
    expect(row.max_sessions_per_user).toBeNull();
  });

  it('a sign-in beyond the account cap ends the least recently used session: audited, and that device is told why', async () => {
    const owner = await signupOwner(t);
    expect((await setCap(owner, 2)).body).toMatchObject({ max_sessions_per_user: 2, effective_max_sessions_per_user: 2 });
    const engineer = await addMember(t, owner, 'engineer'); // session 1
    const [second] = await signInTimes(engineer, 1);
    t.clock.advance(60);
    // The first is used again: the second is now the least recently used.
    const first = await refresh(t, engineer.tokens.refresh_token);
    expect(first.status).toBe(200);
    const [third] = await signInTimes(engineer, 1);

    expect(await liveIds(engineer)).toEqual([sid(first.body), sid(third)].sort());
    const refused = await refresh(t, second.refresh_token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'invalid_refresh_token', reason: 'session_limit' });
    expect((await t.get('/api/auth/me', { token: second.access_token })).status).toBe(401);
    const events = await t.db.query(
      `SELECT actor_user_id, details FROM audit_events WHERE account_id = $1 AND action = 'session.revoked'`,
      [owner.accountId],
    );
    expect(events).toEqual([{ actor_user_id: engineer.id, details: { session_id: sid(second), by: 'self', reason: 'session_limit' } }]);
  });

  it('a lower cap ends every user’s excess sessions at once (least recently used first), audited once per session and once for the change', async () => {
    const owner = await signupOwner(t);
    const engineer = await addMember(t, owner, 'engineer');
    const later = await signInTimes(engineer, 3); // 4 live
    const ownerMore = await signInTimes(owner, 2); // owner: 3 live
    const token = ownerMore[1].access_token;

    const response = await setCap(owner, 2, token);
    expect(response.status).toBe(200);
    expect(await liveIds(engineer)).toEqual([sid(later[1]), sid(later[2])].sort());
    // The owner's own least recently used session ends too; the one making the change is the newest.
    expect(await liveIds(owner)).toEqual([sid(ownerMore[0]), sid(ownerMore[1])].sort());
    expect((await refresh(t, later[0].refresh_token)).body).toMatchObject({ code: 'invalid_refresh_token', reason: 'session_limit' });
    expect((await t.get('/api/auth/me', { token: later[0].access_token })).status).toBe(401);

    const revoked = await t.db.query(
      `SELECT details FROM audit_events WHERE account_id = $1 AND action = 'session.revoked' ORDER BY details->>'session_id'`,
      [owner.accountId],
    );
    expect(revoked.map((r: { details: { by: string; reason: string } }) => [r.details.by, r.details.reason])).toEqual(
      Array(3).fill(['owner', 'session_limit']),
    );
    expect(revoked.map((r: { details: { user_id: string } }) => r.details.user_id).sort()).toEqual(
      [engineer.id, engineer.id, owner.id].sort(),
    );
    const [change] = await t.db.query(
      `SELECT actor_user_id, details FROM audit_events WHERE account_id = $1 AND action = 'account.session_cap_update'`,
      [owner.accountId],
    );
    expect(change).toEqual({
      actor_user_id: owner.id,
      details: { old: null, new: 2, effective_old: SYSTEM_CAP, effective_new: 2, ended_sessions: 3 },
    });
  });

  // The browser test flaked 1 in 2 with the newest device ended: sign-ins stamped whole
  // seconds, so devices signed in within one second tied on last use and creation, and the
  // tie fell to the random session id. Several users make a lucky pass improbable.
  it('sessions signed in within the same second still end oldest first, when the cap is lowered and at sign-in', async () => {
    const owner = await signupOwner(t);
    t.clock.advance(60);
    const members = [];
    for (let i = 0; i < 6; i++) {
      const member = await addMember(t, owner, 'engineer');
      members.push({ member, later: [await login(t, member.email, member.password), await login(t, member.email, member.password)] });
    }
    t.clock.advance(60);
    const ownerNow = await login(t, owner.email, owner.password);
    expect((await setCap(owner, 2, ownerNow.access_token)).status).toBe(200);
    for (const { member, later } of members) {
      expect(await liveIds(member)).toEqual([sid(later[0]), sid(later[1])].sort());
    }
    // At the cap, a sign-in in that same second ends the oldest of the two, never the newer.
    for (const { member, later } of members) {
      const next = await login(t, member.email, member.password);
      expect(await liveIds(member)).toEqual([sid(later[1]), sid(next)].sort());
    }
  });

  it('a higher or cleared cap ends nothing and revives nothing; the same cap again records nothing', async () => {
    const owner = await signupOwner(t);
    await setCap(owner, 1);
    const [latest] = await signInTimes(owner, 1);
    expect(await liveIds(owner)).toEqual([sid(latest)]);
    expect((await setCap(owner, 1, latest.access_token)).status).toBe(200);
    expect((await setCap(owner, null, latest.access_token)).body).toMatchObject({
      max_sessions_per_user: null,
      effective_max_sessions_per_user: SYSTEM_CAP,
    });
    expect(await liveIds(owner)).toEqual([sid(latest)]);
    await signInTimes(owner, 3);
    expect(await liveIds(owner)).toHaveLength(4);
    const changes = await t.db.query(
      `SELECT details->>'new' AS new FROM audit_events WHERE account_id = $1 AND action = 'account.session_cap_update' ORDER BY occurred_at, id`,
      [owner.accountId],
    );
    // Same clock instant: the order between the two rows is the uuid's, so compare as a set.
    expect(changes).toHaveLength(2);
    expect(changes).toEqual(expect.arrayContaining([{ new: '1' }, { new: null }]));
  });

  it('the system cap still bounds an account whose stored cap is above it (the operator lowered SESSION_MAX_PER_USER)', async () => {
    const owner = await signupOwner(t);
    await t.db.query('UPDATE accounts SET max_sessions_per_user = 100 WHERE id = $1', [owner.accountId]);
    await signInTimes(owner, SYSTEM_CAP + 2);
    expect(await liveIds(owner)).toHaveLength(SYSTEM_CAP);
  });

  it('concurrent sign-ins at the cap never leave more than the cap alive', async () => {
    const owner = await signupOwner(t);
    await setCap(owner, 2);
    const engineer = await addMember(t, owner, 'engineer');
    await signInTimes(engineer, 1);
    const results = await Promise.all([0, 1, 2, 3].map(() => login(t, engineer.email, engineer.password)));
    const live = await liveIds(engineer);
    expect(live).toHaveLength(2);
    for (const tokens of results) {
      if (live.includes(sid(tokens))) continue;
      expect((await refresh(t, tokens.refresh_token)).body).toMatchObject({ reason: 'session_limit' });
    }
  });

  it('a cap lowered while sign-ins run is never undercut by a sign-in that read the old cap', async () => {
    const owner = await signupOwner(t);
    const engineers = await Promise.all([addMember(t, owner, 'engineer'), addMember(t, owner, 'engineer')]);
    for (const engineer of engineers) await signInTimes(engineer, 2);
    const signIns = engineers.flatMap((e) => [login(t, e.email, e.password), login(t, e.email, e.password)]);
    const [capped] = await Promise.all([setCap(owner, 1), ...signIns]);
    expect(capped.status).toBe(200);
    for (const engineer of engineers) expect(await liveIds(engineer)).toHaveLength(1);
  });

  it("another account's owner cannot change this account's cap", async () => {
    const owner = await signupOwner(t);
    const stranger = await signupOwner(t);
    await setCap(stranger, 1);
    await signInTimes(owner, 2);
    expect(await liveIds(owner)).toHaveLength(3);
    const [row] = await t.db.query('SELECT max_sessions_per_user FROM accounts WHERE id = $1', [owner.accountId]);
    expect(row.max_sessions_per_user).toBeNull();
  });

  it('engineers and admins cannot change the cap', async () => {
    const owner = await signupOwner(t);
    const admin = await addMember(t, owner, 'admin');
    expect((await setCap(owner, 1, admin.tokens.access_token)).status).toBe(403);
  });
});
