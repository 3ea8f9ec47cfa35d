import { Client } from 'pg';
import { addMember, decodeJwt, login, refresh, SignedInUser, signupOwner, Tokens } from './builders';
import { fillPath, listOperations, loadOpenApi } from './openapi-operations';
import { createTestApp, TestApp } from './test-app';

/**
 * Step-up re-authentication (issue 15, item 1; ADR 0018): the sensitive actions need an
 * authentication on this session within STEP_UP_MAX_AGE_SECONDS (default 600). Time
 * moves with the injected clock only.
 */
const POLICY = '/api/accounts/me/security';
const REAUTH = '/api/auth/reauthenticate';
const MINUTE = 60;

/** The operations that must refuse a stale caller (issue 15's list). */
const SENSITIVE = [
  'PATCH /api/accounts/me/security',
  'POST /api/accounts/me/security/revoke-sessions',
  'PATCH /api/accounts/me/security/sign-in',
  'POST /api/accounts/me/members',
  'PATCH /api/accounts/me/members/{id}',
  'PUT /api/accounts/me/security/role-policies/{role}',
  'DELETE /api/accounts/me/security/role-policies/{role}',
  'DELETE /api/accounts/me/members/{id}/sessions',
  'DELETE /api/accounts/me/members/{id}/sessions/{sessionId}',
  'POST /api/auth/password',
  'DELETE /api/me/identities/{id}',
].sort();

describe('step-up re-authentication (real PostgreSQL, through HTTP, injected clock)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      PASSWORD_CHANGE_MAX_FAILURES: '3',
      DATABASE_QUERY_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1500',
    });
  });
  afterAll(() => t.close());

  const as = (tokens: Tokens) => ({ token: tokens.access_token });
  /** A new access token for the same session (the old one lives 5 minutes). */
  const rotate = async (tokens: Tokens): Promise<Tokens> => {
    const response = await refresh(t, tokens.refresh_token);
    expect(response.status).toBe(200);
    return response.body;
  };
  const auditActions = async (owner: Tokens, action: string) =>
    (await t.get(`/api/accounts/me/audit-events?action=${action}`, as(owner))).body.items as { details: unknown; resource_id: string }[];

  it('lets a fresh sign-in through, refuses it 11 minutes later with the code and the window, and lets it through again after a step-up', async () => {
    const owner = await signupOwner(t);
    const signedInAt = t.clock.now();
    expect((await t.patch(POLICY, { idle_minutes: 600 }, as(owner.tokens))).status).toBe(200);

    t.clock.advance(11 * MINUTE);
    const stale = await rotate(owner.tokens);
    const refused = await t.patch(POLICY, { idle_minutes: 700 }, as(stale));
    expect(refused.status).toBe(403);
    expect(String(refused.headers['content-type'])).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'reauthentication_required',
      max_age_seconds: 600,
      authenticated_at: signedInAt.toISOString(),
    });
    // Refused means not done.
    expect((await t.get(POLICY, as(stale))).body.idle_minutes).toBe(600);

    const stepped = await t.post(REAUTH, { password: owner.password }, as(stale));
    expect(stepped.status).toBe(200);
    expect(stepped.body).toEqual({
      authenticated_at: t.clock.now().toISOString(),
      max_age_seconds: 600,
      fresh_until: new Date(t.clock.now().getTime() + 600_000).toISOString(),
    });
    // The access token minted before the step-up sees it: the database is the truth, not a claim.
    expect((await t.patch(POLICY, { idle_minutes: 700 }, as(stale))).status).toBe(200);
    // ...and so does one minted after it.
    t.clock.advance(9 * MINUTE);
    const later = await rotate(stale);
    expect((await t.patch(POLICY, { idle_minutes: 800 }, as(later))).status).toBe(200);
    // Until the window has passed again.
    t.clock.advance(2 * MINUTE);
    const again = await t.patch(POLICY, { idle_minutes: 900 }, as(later));
    expect(again.body).toMatchObject({ code: 'reauthentication_required', authenticated_at: stepped.body.authenticated_at });

    const rows = await auditActions(later, 'auth.reauthenticated');
    expect(rows).toEqual([expect.objectContaining({ details: { method: 'password' }, resource_id: decodeJwt(later.access_token)['sid'] })]);
  });

  it('refuses a stale caller on every sensitive operation, and documents the code on exactly those', async () => {
    const documented = Object.entries(loadOpenApi().paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>)
      .flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => JSON.stringify(operation.responses?.['403'] ?? '').includes('reauthentication_required'))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(SENSITIVE);

    const owner = await signupOwner(t);
    const member = await addMember(t, owner, 'engineer');
    t.clock.advance(11 * MINUTE);
    const stale = await rotate(owner.tokens);
    const memberTokens = await rotate(member.tokens);
    const memberSid = decodeJwt(memberTokens.access_token)['sid'];
    const bodies: Record<string, unknown> = {
      'PATCH /api/accounts/me/security': { idle_minutes: 60 },
      'POST /api/accounts/me/security/revoke-sessions': { scope: 'others' },
      'PATCH /api/accounts/me/security/sign-in': { allowed_email_domains: ['example.test'] },
      'PATCH /api/accounts/me/members/{id}': { role: 'admin' },
      'POST /api/accounts/me/members': { name: 'New Owner', email: 'new-owner@example.test', role: 'owner', password: 'a-long-password-1' },
      'PUT /api/accounts/me/security/role-policies/{role}': { idle_minutes: 60 },
      'POST /api/auth/password': { current_password: owner.password, new_password: 'another-password-1' },
    };
    for (const operation of listOperations().filter((o) => SENSITIVE.includes(o.key))) {
      const path = fillPath(operation.path, {
        id: operation.path.includes('/members/') ? member.id : memberSid,
        sessionId: memberSid,
        role: 'admin',
      });
      const response = await t.request(operation.method, path, bodies[operation.key], as(stale));
      expect({ key: operation.key, status: response.status, code: response.body.code }).toEqual({
        key: operation.key,
        status: 403,
        code: 'reauthentication_required',
      });
    }
    // Nothing was done: the member is still signed in, still an engineer.
    expect((await refresh(t, memberTokens.refresh_token)).status).toBe(200);
    expect((await t.get(`/api/accounts/me/members`, as(stale))).body.find((m: { id: string }) => m.id === member.id).role).toBe('engineer');
  });

  it('does not extend the absolute deadline: auth_time stays, the session still ends at sign-in + absolute', async () => {
    const owner = await signupOwner(t);
    expect((await t.patch(POLICY, { idle_minutes: 30, absolute_minutes: 60 }, as(owner.tokens))).status).toBe(200);
    let tokens = await login(t, owner.email, owner.password);
    const signIn = decodeJwt(tokens.refresh_token);
    const absoluteAt = tokens.absolute_expires_at;

    t.clock.advance(20 * MINUTE);
    tokens = await rotate(tokens);
    t.clock.advance(20 * MINUTE);
    tokens = await rotate(tokens);
    t.clock.advance(4 * MINUTE);
    expect((await t.post(REAUTH, { password: owner.password }, as(tokens))).status).toBe(200);
    t.clock.advance(10 * MINUTE);
    tokens = await rotate(tokens);
    expect(tokens.absolute_expires_at).toBe(absoluteAt);
    expect(decodeJwt(tokens.refresh_token)['auth_time']).toBe(signIn['auth_time']);
    const [row] = await t.db.query('SELECT auth_time FROM sessions WHERE id = $1', [signIn['sid']]);
    expect((row.auth_time as Date).getTime()).toBe(signIn['auth_time'] * 1000);

    t.clock.advance(7 * MINUTE); // 61 minutes after the sign-in, 17 after the step-up
    const ended = await refresh(t, tokens.refresh_token);
    expect(ended.status).toBe(401);
    expect(ended.body.code).toBe('session_expired_absolute');
  });

  it('answers a wrong password like a wrong current_password, audits it, ends nothing, and limits guesses per user', async () => {
    const owner = await signupOwner(t);
    const member = await addMember(t, owner, 'engineer');
    const wrong = await t.post(REAUTH, { password: 'not-the-password' }, as(member.tokens));
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'password', message: 'password is incorrect' }] });
    expect((await t.get('/api/auth/me', as(member.tokens))).status).toBe(200);
    expect((await refresh(t, member.tokens.refresh_token)).status).toBe(200);
    const failed = await auditActions(owner.tokens, 'auth.reauthentication_failed');
    expect(failed).toEqual([expect.objectContaining({ details: { method: 'password', reason: 'wrong_password' } })]);
    expect(JSON.stringify(failed)).not.toContain('not-the-password');

    // One budget with the password change's current_password (3 in this file): two more wrong answers there...
    const fresh = await login(t, member.email, member.password);
    for (let i = 0; i < 2; i++) {
      const response = await t.post('/api/auth/password', { current_password: 'nope', new_password: 'whatever-password-1' }, as(fresh));
      expect(response.status).toBe(422);
    }
    // ...and even the right password is refused for the window.
    const limited = await t.post(REAUTH, { password: member.password }, as(fresh));
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets no concurrent guesses slip under the limit, and concurrent right answers all succeed with one stamp', async () => {
    const owner = await signupOwner(t);
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => t.post(REAUTH, { password: `guess-${i}` }, as(owner.tokens))));
    expect(guesses.map((r) => r.status).sort()).toEqual([422, 422, 422, 429, 429, 429, 429, 429]);

    const other = await signupOwner(t);
    t.clock.advance(11 * MINUTE);
    const tokens = await rotate(other.tokens);
    // Each attempt takes a point of the guess budget up front (3 here), the right ones too until they
    // are verified: concurrent right answers within the budget all pass (the console sends one at a time).
    const answers = await Promise.all(Array.from({ length: 3 }, () => t.post(REAUTH, { password: other.password }, as(tokens))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const [row] = await t.db.query('SELECT reauthenticated_at FROM sessions WHERE id = $1', [decodeJwt(tokens.access_token)['sid']]);
    expect((row.reauthenticated_at as Date).toISOString()).toBe(t.clock.now().toISOString());
    expect((await t.patch(POLICY, { idle_minutes: 120 }, as(tokens))).status).toBe(200);
  });

  it('lets neither a deactivated user nor an ended session step up or pass the check', async () => {
    const owner = await signupOwner(t);
    const member = await addMember(t, owner, 'owner');
    // Behind the revocation cache's back, so only the database can tell.
    await t.db.query('UPDATE users SET is_active = false WHERE id = $1', [member.id]);
    expect((await t.post(REAUTH, { password: member.password }, as(member.tokens))).status).toBe(401);
    expect((await t.patch(POLICY, { idle_minutes: 60 }, as(member.tokens))).status).toBe(401);

    const sid = decodeJwt(owner.tokens.access_token)['sid'];
    await t.db.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'logout' WHERE id = $1`, [sid]);
    expect((await t.post(REAUTH, { password: owner.password }, as(owner.tokens))).status).toBe(401);
    expect((await t.patch(POLICY, { idle_minutes: 60 }, as(owner.tokens))).status).toBe(401);
    const [row] = await t.db.query('SELECT reauthenticated_at FROM sessions WHERE id = $1', [sid]);
    expect(row.reauthenticated_at).toBeNull();
  });

  it('sends a member whose account requires external sign-in to the provider (sso_required); owners keep the password', async () => {
    const owner = await signupOwner(t);
    const admin = await addMember(t, owner, 'admin');
    await t.db.query('UPDATE accounts SET require_external_sign_in = true WHERE id = $1', [owner.accountId]);
    const refused = await t.post(REAUTH, { password: admin.password }, as(admin.tokens));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('sso_required');
    expect((await t.post(REAUTH, { password: owner.password }, as(owner.tokens))).status).toBe(200);
  });

  it('answers 503 within the database bounds when the session table is locked, and stamps nothing', async () => {
    const owner: SignedInUser = await signupOwner(t);
    const sid = decodeJwt(owner.tokens.access_token)['sid'];
    const blocker = new Client({ connectionString: t.ownerUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      const [check, step] = await Promise.all([
        t.patch(POLICY, { idle_minutes: 60 }, as(owner.tokens)),
        t.post(REAUTH, { password: owner.password }, as(owner.tokens)),
      ]);
      expect([check.status, check.body.code]).toEqual([503, 'unavailable']);
      expect([step.status, step.body.code]).toEqual([503, 'unavailable']);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const [row] = await t.db.query('SELECT reauthenticated_at FROM sessions WHERE id = $1', [sid]);
    expect(row.reauthenticated_at).toBeNull();
    expect((await t.patch(POLICY, { idle_minutes: 60 }, as(owner.tokens))).status).toBe(200);
  });
});
