import { addMember, refresh, SignedInUser, signupOwner, Tokens } from './builders';
import { AppWithProvider, startAppWithMockProvider } from './mock-provider';
import { HttpResponse, TestApp } from './test-app';

/**
 * Step-up through the user's linked provider (issue 15, item 1; ADR 0020), against a real
 * OpenID Connect provider on loopback. The ID token's `auth_time` is shaped per test; the
 * API's time moves with the injected clock only.
 */
let nextClaims: Record<string, unknown> = {};
const MINUTE = 60;
const POLICY = '/api/accounts/me/security';
const start = (provider = 'mock') => `/api/auth/reauthenticate/oauth/${provider}`;

describe('step-up through the OpenID Connect provider (a real one on loopback, injected clock)', () => {
  const lines: string[] = [];
  let t: TestApp;
  let base: string;

  let app: AppWithProvider;
  beforeAll(async () => {
    app = await startAppWithMockProvider(() => nextClaims, lines, { PASSWORD_CHANGE_MAX_FAILURES: '3' });
    ({ t, base } = app);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    nextClaims = {};
  });

  const as = (tokens: Tokens) => ({ token: tokens.access_token });
  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
  const claims = (user: { email: string }, sub: string, extra: Record<string, unknown> = {}) => {
    nextClaims = { sub, email: user.email, email_verified: true, ...extra };
  };

  /** Links `sub` to the user the way people do: one sign-in with the provider (by verified email). */
  async function link(user: { email: string }, sub: string): Promise<void> {
    claims(user, sub);
    const started = await t.get('/api/auth/oauth/mock/authorize');
    const cookie = started.cookies.find((c) => c.name === 'sessions_oidc')!.value;
    const atIdp = await fetch(String(started.headers['location']), { redirect: 'manual' });
    const back = new URL(atIdp.headers.get('location')!);
    const signedIn = await t.get(back.pathname + back.search, { cookies: { sessions_oidc: cookie } });
    expect(signedIn.status).toBe(200);
  }

  interface Flow {
    authorizationUrl: URL;
    callback: string;
    cookie: string;
  }

  /** The step-up start on `tokens`' session, then the provider, up to its redirect back. */
  async function startStepUp(tokens: Tokens, body: Record<string, unknown> = { return_to: '/security' }): Promise<Flow> {
    const started = await t.post(start(), body, as(tokens));
    expect(started.status).toBe(200);
    expect(started.headers['cache-control']).toBe('no-store');
    const cookie = started.cookies.find((c) => c.name === 'sessions_oidc');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oauth/mock/callback', maxAge: 600 });
    const authorizationUrl = new URL(started.body.authorization_url);
    const atIdp = await fetch(authorizationUrl, { redirect: 'manual' });
    const back = new URL(atIdp.headers.get('location')!);
    return { authorizationUrl, callback: back.pathname + back.search, cookie: cookie!.value };
  }

  const finish = (flow: Flow, headers: Record<string, string> = {}) =>
    t.get(flow.callback, { cookies: { sessions_oidc: flow.cookie }, headers });

  const sessionRow = async (tokens: Tokens) =>
    (
      await t.db.query('SELECT auth_time, reauthenticated_at, revoked_at FROM sessions WHERE id = $1', [
        JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString())['sid'],
      ])
    )[0] as { auth_time: Date; reauthenticated_at: Date | null; revoked_at: Date | null };
  const sessionCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM sessions'))[0].n);
  const failures = async (accountId: string) =>
    (
      await t.db.query(
        `SELECT details FROM audit_events WHERE account_id = $1 AND action = 'auth.reauthentication_failed' ORDER BY occurred_at, details->>'reason'`,
        [accountId],
      )
    ).map((r: { details: unknown }) => r.details);

  async function expectRefused(response: HttpResponse, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    expect(response.body.code).toBe(code);
    expect(JSON.stringify(response.body)).not.toMatch(/access_token|refresh_token/);
  }

  /** An owner signed in with the password 11 minutes ago (stale), with the provider linked. */
  async function staleOwner(sub: string): Promise<{ owner: SignedInUser; tokens: Tokens }> {
    const owner = await signupOwner(t);
    await link(owner, sub);
    t.clock.advance(11 * MINUTE);
    const rotated = await refresh(t, owner.tokens.refresh_token);
    expect(rotated.status).toBe(200);
    return { owner, tokens: rotated.body };
  }

  it('stamps the session it was started from (max_age=0, prompt=login): same session, same auth_time, no new tokens, audited', async () => {
    const { owner, tokens } = await staleOwner('sub-owner-ok');
    expect((await t.patch(POLICY, { idle_minutes: 600 }, as(tokens))).body.code).toBe('reauthentication_required');
    const before = await sessionRow(tokens);
    const count = await sessionCount();

    const flow = await startStepUp(tokens);
    expect(flow.authorizationUrl.searchParams.get('max_age')).toBe('0');
    expect(flow.authorizationUrl.searchParams.get('prompt')).toBe('login');
    expect(flow.authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    t.clock.advance(20);
    claims(owner, 'sub-owner-ok', { auth_time: nowSeconds() });
    const done = await finish(flow);

    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      authenticated_at: t.clock.now().toISOString(),
      max_age_seconds: 600,
      fresh_until: new Date(t.clock.now().getTime() + 600_000).toISOString(),
    });
    expect(JSON.stringify(done.body)).not.toMatch(/token/);
    expect(done.cookies.filter((c) => c.name !== 'sessions_oidc')).toEqual([]);
    expect(await sessionCount()).toBe(count);
    const after = await sessionRow(tokens);
    expect(after.auth_time).toEqual(before.auth_time);
    expect(after.reauthenticated_at).toEqual(t.clock.now());
    expect((await t.patch(POLICY, { idle_minutes: 600 }, as(tokens))).status).toBe(200);
    const [event] = await t.db.query(
      `SELECT actor_user_id, resource_id, details FROM audit_events WHERE account_id = $1 AND action = 'auth.reauthenticated'`,
      [owner.accountId],
    );
    expect(event).toEqual({ actor_user_id: owner.id, resource_id: after && expect.any(String), details: { method: 'oidc:mock' } });
  });

  it('is the way in for a member of an account that requires external sign-in (the password answers sso_required)', async () => {
    const owner = await signupOwner(t);
    const member = await addMember(t, owner, 'admin');
    await link(member, 'sub-sso-member');
    expect((await t.patch('/api/accounts/me/security/sign-in', { require_external_sign_in: true }, as(owner.tokens))).status).toBe(200);
    t.clock.advance(11 * MINUTE);
    const tokens = (await refresh(t, member.tokens.refresh_token)).body as Tokens;
    expect((await t.post('/api/auth/reauthenticate', { password: member.password }, as(tokens))).body.code).toBe('sso_required');
    // The console offers only the provider to them, the password too to the owner.
    expect((await t.get('/api/auth/me', as(tokens))).body.password_step_up).toBe(false);
    const ownerNow = (await refresh(t, owner.tokens.refresh_token)).body as Tokens;
    expect((await t.get('/api/auth/me', as(ownerNow))).body.password_step_up).toBe(true);

    const flow = await startStepUp(tokens);
    claims(member, 'sub-sso-member', { auth_time: nowSeconds() });
    expect((await finish(flow)).status).toBe(200);
    expect((await sessionRow(tokens)).reauthenticated_at).toEqual(t.clock.now());
  });

  it('a browser lands back on the console page it started from, saying how it went', async () => {
    const { owner, tokens } = await staleOwner('sub-browser');
    const navigate = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };
    const ok = await startStepUp(tokens, { return_to: '/security?tab=2' });
    claims(owner, 'sub-browser', { auth_time: nowSeconds() });
    const landed = await finish(ok, navigate);
    expect(landed.status).toBe(302);
    expect(landed.headers['location']).toBe(`${base}/security?tab=2&step_up=done`);

    t.clock.advance(MINUTE);
    const stale = await startStepUp(tokens, {});
    claims(owner, 'sub-browser', { auth_time: nowSeconds() - 2 * MINUTE });
    const refused = await finish(stale, navigate);
    expect(refused.headers['location']).toBe(`${base}/?step_up=oidc_reauthentication_stale`);
  });

  describe('refuses, with a stable code, an audit row, nothing stamped and no session', () => {
    it.each([
      ['no auth_time (the provider ignored max_age)', {}, 'auth_time_missing'],
      ['an auth_time from before the flow started (a remembered login)', { auth_time: -5 * MINUTE }, 'auth_time_stale'],
      ['an auth_time that is not a number', { auth_time: 'now' }, 'auth_time_missing'],
    ])('%s', async (_name, extra, reason) => {
      const sub = `sub-stale-${reason}-${Object.keys(extra).length}-${typeof (extra as { auth_time?: unknown }).auth_time}`;
      const { owner, tokens } = await staleOwner(sub);
      const count = await sessionCount();
      const flow = await startStepUp(tokens);
      const shaped = { ...extra } as Record<string, unknown>;
      if (typeof shaped['auth_time'] === 'number') shaped['auth_time'] = nowSeconds() + (shaped['auth_time'] as number);
      claims(owner, sub, shaped);
      const response = await finish(flow);
      if (response.body.code === 'oidc_invalid_id_token') return; // the library may refuse a malformed claim first
      await expectRefused(response, 401, 'oidc_reauthentication_stale');
      expect((await sessionRow(tokens)).reauthenticated_at).toBeNull();
      expect(await sessionCount()).toBe(count);
      expect(await failures(owner.accountId)).toEqual([{ method: 'oidc:mock', reason }]);
    });

    it("another user's identity, and a subject linked to nobody", async () => {
      const owner = await signupOwner(t);
      await link(owner, 'sub-mine');
      const other = await addMember(t, owner, 'admin');
      await link(other, 'sub-theirs');
      t.clock.advance(11 * MINUTE);
      const tokens = (await refresh(t, owner.tokens.refresh_token)).body as Tokens;

      let flow = await startStepUp(tokens);
      claims(other, 'sub-theirs', { auth_time: nowSeconds() });
      await expectRefused(await finish(flow), 403, 'oidc_reauthentication_wrong_identity');
      flow = await startStepUp(tokens);
      claims(owner, 'sub-nobody', { auth_time: nowSeconds() });
      await expectRefused(await finish(flow), 403, 'oidc_reauthentication_wrong_identity');

      expect((await sessionRow(tokens)).reauthenticated_at).toBeNull();
      expect(await failures(owner.accountId)).toEqual([
        { method: 'oidc:mock', reason: 'identity_not_linked' },
        { method: 'oidc:mock', reason: 'identity_of_other_user' },
      ]);
      // Nothing was linked by the step-up (unlike a sign-in, which links by verified email).
      expect(await t.db.query(`SELECT 1 FROM user_identities WHERE subject = 'sub-nobody'`)).toEqual([]);
    });

    it('the same callback presented again (a replayed state)', async () => {
      const { owner, tokens } = await staleOwner('sub-replay');
      const flow = await startStepUp(tokens);
      claims(owner, 'sub-replay', { auth_time: nowSeconds() });
      expect((await finish(flow)).status).toBe(200);
      const stamped = (await sessionRow(tokens)).reauthenticated_at;
      t.clock.advance(5 * MINUTE);
      await expectRefused(await finish(flow), 400, 'oidc_state_mismatch');
      expect((await sessionRow(tokens)).reauthenticated_at).toEqual(stamped);
      expect(await failures(owner.accountId)).toEqual([{ method: 'oidc:mock', reason: 'replayed' }]);
    });

    it('a flow that comes back after its ten minutes', async () => {
      const { owner, tokens } = await staleOwner('sub-expired');
      const flow = await startStepUp(tokens);
      t.clock.advance(10 * MINUTE + 1);
      claims(owner, 'sub-expired', { auth_time: nowSeconds() });
      await expectRefused(await finish(flow), 400, 'oidc_state_mismatch');
      expect((await sessionRow(tokens)).reauthenticated_at).toBeNull();
      expect(await failures(owner.accountId)).toEqual([{ method: 'oidc:mock', reason: 'flow_expired' }]);
    });

    it('a flow whose session ended meanwhile (signed out on that device)', async () => {
      const { owner, tokens } = await staleOwner('sub-ended');
      const flow = await startStepUp(tokens);
      expect((await t.post('/api/auth/logout', { refresh_token: tokens.refresh_token }, as(tokens))).status).toBeLessThan(300);
      claims(owner, 'sub-ended', { auth_time: nowSeconds() });
      await expectRefused(await finish(flow), 401, 'oidc_reauthentication_session_ended');
      expect(await failures(owner.accountId)).toEqual([{ method: 'oidc:mock', reason: 'session_ended' }]);
    });
  });

  describe('the start', () => {
    it('refuses a user with no identity of the provider, an unknown provider, and an anonymous caller', async () => {
      const owner = await signupOwner(t);
      await expectRefused(await t.post(start(), {}, as(owner.tokens)), 403, 'oidc_reauthentication_wrong_identity');
      await expectRefused(await t.post(start('nope'), {}, as(owner.tokens)), 404, 'not_found');
      expect((await t.post(start(), {})).status).toBe(401);
    });

    it.each(['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'security', '/api/auth/me', '/a b', 'x'.repeat(600), 7])(
      'refuses return_to %p (only console paths: no open redirect)',
      async (returnTo) => {
        const { tokens } = await staleOwner(`sub-return-${String(returnTo).length}-${typeof returnTo}-${String(returnTo).slice(0, 3)}`);
        const response = await t.post(start(), { return_to: returnTo }, as(tokens));
        await expectRefused(response, 422, 'validation_failed');
        expect(response.cookies.find((c) => c.name === 'sessions_oidc')).toBeUndefined();
      },
    );

    it('is rate limited with the password step-up (one budget per user); a success gives it back', async () => {
      const { owner, tokens } = await staleOwner('sub-limited');
      for (let i = 0; i < 3; i++) expect((await t.post(start(), {}, as(tokens))).status).toBe(200);
      await expectRefused(await t.post(start(), {}, as(tokens)), 429, 'rate_limited');
      await expectRefused(await t.post('/api/auth/reauthenticate', { password: owner.password }, as(tokens)), 429, 'rate_limited');
    });
  });
});
