import { OAuth2Server } from 'oauth2-mock-server';
import { decodeJwt, SignedInUser, signupOwner, addMember, login } from './builders';
import { AppWithProvider, startAppWithMockProvider } from './mock-provider';
import { HttpResponse, RequestOptions, TestApp } from './test-app';

/** The next ID token's claims, shaped per test through the provider's `beforeTokenSigning` hook. */
let nextClaims: Record<string, unknown> = {};

describe('sign-in with an OpenID Connect provider (a real one on loopback)', () => {
  const lines: string[] = [];
  let idp: OAuth2Server;
  let t: TestApp;
  let base: string;

  let app: AppWithProvider;
  beforeAll(async () => {
    app = await startAppWithMockProvider(() => nextClaims, lines);
    ({ idp, t, base } = app);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    nextClaims = {};
  });

  interface Flow {
    /** Path and query of the provider's redirect back to us. */
    callback: string;
    cookie: string;
  }

  /** `/authorize` (the app), then the provider's authorization endpoint over a real socket, up to its redirect back. */
  async function startFlow(): Promise<Flow> {
    const started = await t.get('/api/auth/oauth/mock/authorize');
    expect(started.status).toBe(302);
    const cookie = started.cookies.find((c) => c.name === 'sessions_oidc');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oauth/mock/callback', maxAge: 600 });
    const atIdp = await fetch(String(started.headers['location']), { redirect: 'manual' });
    expect(atIdp.status).toBe(302);
    const back = new URL(atIdp.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${base}/api/auth/oauth/mock/callback`);
    return { callback: back.pathname + back.search, cookie: cookie!.value };
  }

  const finish = (flow: Flow, options: RequestOptions = {}) =>
    t.get(flow.callback, { ...options, cookies: { sessions_oidc: flow.cookie, ...(options.cookies ?? {}) } });

  const sessionCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM sessions'))[0].n);

  const identity = (user: { email: string }, sub: string, extra: Record<string, unknown> = {}) => {
    nextClaims = { sub, email: user.email, email_verified: true, ...extra };
  };

  async function auditOf(owner: SignedInUser, action: string) {
    const page = await t.get(`/api/accounts/me/audit-events?action=${action}`, { token: owner.tokens.access_token });
    return page.body.items as { details: Record<string, unknown>; actor: { user_id: string } }[];
  }

  /** Asserts a refusal: problem+json with `code`, a log line (or audit row) naming it, no session. */
  async function expectRefused(response: HttpResponse, code: string, before: number, reason?: string) {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    expect(response.body.code).toBe(code);
    expect(JSON.stringify(response.body)).not.toMatch(/access_token|refresh_token/);
    expect(await sessionCount()).toBe(before);
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, any>)
      .filter((e) => e['event'] === 'auth.login_failed' && e['code'] === code);
    expect(logged.length).toBeGreaterThan(0);
    if (reason) expect(logged.some((e) => e['reason'] === reason)).toBe(true);
  }

  it('lists the configured providers for the login page', async () => {
    expect((await t.get('/api/auth/providers')).body).toEqual([{ id: 'mock', display_name: 'Mock IdP' }]);
    expect((await t.get('/api/auth/oauth/nope/authorize')).body.code).toBe('not_found');
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and the exact redirect URI', async () => {
    const started = await t.get('/api/auth/oauth/mock/authorize');
    const url = new URL(String(started.headers['location']));
    expect(url.origin + '/').toBe(new URL(idp.issuer.url!).origin + '/');
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('sessions-test');
    expect(q.get('redirect_uri')).toBe(`${base}/api/auth/oauth/mock/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('scope')).toBe('openid email profile');
    // Nothing secret travels in the URL or in a cookie a script could read.
    const cookie = started.cookies.find((c) => c.name === 'sessions_oidc')!;
    expect(cookie.value).not.toContain(q.get('state')!);
  });

  it('signs a known user in by verified email, links the identity, and mints the session like a password sign-in', async () => {
    const owner = await signupOwner(t);
    await t.patch('/api/accounts/me/security', { idle_minutes: 60, absolute_minutes: 600 }, { token: owner.tokens.access_token });
    const member = await addMember(t, owner, 'engineer');
    identity(member, 'subject-success');
    const before = t.clock.now().getTime();

    const response = await finish(await startFlow(), {
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    });

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body;
    expect(body.token_type).toBe('bearer');
    expect(body.idle_expires_at).toBe(new Date(before + 60 * 60_000).toISOString());
    expect(body.absolute_expires_at).toBe(new Date(before + 600 * 60_000).toISOString());
    const claims = decodeJwt(body.refresh_token);
    expect(claims).toMatchObject({ sub: member.id, typ: 'refresh', idle_max: 3600, abs_max: 36000, auth_time: before / 1000 });
    const access = decodeJwt(body.access_token);
    expect(access).toMatchObject({ sub: member.id, acc: owner.accountId, role: 'engineer' });

    const devices = await t.get('/api/me/sessions', { token: body.access_token });
    expect(devices.body.find((d: { is_current: boolean }) => d.is_current)).toMatchObject({ device_label: 'Chrome on macOS' });
    const identities = await t.get('/api/me/identities', { token: body.access_token });
    expect(identities.body).toEqual([
      expect.objectContaining({ provider: 'mock', display_name: 'Mock IdP', email: member.email, linked_at: expect.any(String) }),
    ]);
    expect(
      (await auditOf(owner, 'auth.login_succeeded')).some((e) => e.details['method'] === 'oidc:mock' && e.actor.user_id === member.id),
    ).toBe(true);
    expect((await auditOf(owner, 'identity.linked'))[0]).toMatchObject({
      details: { user_id: member.id, provider: 'mock', by: 'email_match' },
    });
  });

  it('signs the same user in by subject after the email changed at the provider', async () => {
    const owner = await signupOwner(t);
    identity(owner, 'subject-moves');
    expect((await finish(await startFlow())).status).toBe(200);

    identity({ email: `renamed-${Date.now()}@elsewhere.test` }, 'subject-moves');
    const again = await finish(await startFlow());
    expect(again.status).toBe(200);
    expect(decodeJwt(again.body.access_token)['sub']).toBe(owner.id);
    const identities = await t.get('/api/me/identities', { token: again.body.access_token });
    expect(identities.body).toHaveLength(1);
    expect(identities.body[0].email).toMatch(/^renamed-/);
  });

  describe('refuses, with a code, a log line and no session', () => {
    let owner: SignedInUser;
    beforeAll(async () => {
      owner = await signupOwner(t);
    });

    it('a wrong state', async () => {
      identity(owner, 'subject-state');
      const flow = await startFlow();
      const before = await sessionCount();
      const tampered = flow.callback.replace(/state=[^&]+/, 'state=forged-state');
      await expectRefused(await finish({ ...flow, callback: tampered }), 'oidc_state_mismatch', before, 'state_mismatch');
    });

    it('a callback without the cookie of the browser that started (login CSRF)', async () => {
      identity(owner, 'subject-state');
      const flow = await startFlow();
      const before = await sessionCount();
      await expectRefused(await t.get(flow.callback), 'oidc_state_mismatch', before, 'no_flow');
    });

    it('an expired flow (the sealed state lives ten minutes)', async () => {
      identity(owner, 'subject-state');
      const flow = await startFlow();
      const before = await sessionCount();
      t.clock.advance(601);
      await expectRefused(await finish(flow), 'oidc_state_mismatch', before, 'no_flow');
    });

    it('a replayed code', async () => {
      identity(owner, 'subject-replay');
      const flow = await startFlow();
      expect((await finish(flow)).status).toBe(200);
      const before = await sessionCount();
      await expectRefused(await finish(flow), 'oidc_exchange_failed', before, 'code_rejected');
    });

    it('a bad nonce', async () => {
      identity(owner, 'subject-nonce', { nonce: 'not-the-nonce-we-sent' });
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'nonce_mismatch');
    });

    it('a wrong audience', async () => {
      // The hook matches on our audience, so swap it inside the same token.
      identity(owner, 'subject-aud', { aud: 'another-client' });
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'aud_mismatch');
    });

    it('an expired ID token', async () => {
      const now = Math.floor(Date.now() / 1000);
      identity(owner, 'subject-exp', { iat: now - 7200, exp: now - 3600 });
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'id_token_expired');
    });

    it('a wrong issuer', async () => {
      identity(owner, 'subject-iss', { iss: 'https://evil.example' });
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'iss_mismatch');
    });

    it('an ID token whose signature does not verify', async () => {
      identity(owner, 'subject-signature');
      idp.service.once('beforeResponse', (response: { body: Record<string, unknown> }) => {
        const [header, payload, signature] = String(response.body['id_token']).split('.');
        // Same header and claims, another signature: only the signature check can catch it.
        const forged = Buffer.from(signature!, 'base64url');
        forged[0] = forged[0]! ^ 0xff;
        response.body['id_token'] = `${header}.${payload}.${forged.toString('base64url')}`;
      });
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'invalid_response');
    });

    it('oversized or malformed claims (hostile provider input), not with a 500', async () => {
      identity(owner, 'x'.repeat(300));
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'claim_too_long_or_malformed');
      identity({ email: `${'a'.repeat(400)}@example.test` }, 'subject-long-email');
      await expectRefused(await finish(await startFlow()), 'oidc_invalid_id_token', before, 'claim_too_long_or_malformed');
    });

    it('an unverified email', async () => {
      identity(owner, 'subject-unverified', { email_verified: false });
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_email_unverified', before);
    });

    it('an unknown user, without creating one', async () => {
      identity({ email: `stranger-${Date.now()}@example.test` }, 'subject-stranger');
      const before = await sessionCount();
      const users = Number((await t.db.query('SELECT count(*) AS n FROM users'))[0].n);
      await expectRefused(await finish(await startFlow()), 'oidc_unknown_user', before, 'unknown_email');
      expect(Number((await t.db.query('SELECT count(*) AS n FROM users'))[0].n)).toBe(users);
      expect(Number((await t.db.query(`SELECT count(*) AS n FROM user_identities WHERE subject = 'subject-stranger'`))[0].n)).toBe(0);
    });

    it('a browser navigation: redirected to the console sign-in page with the code, over real sockets', async () => {
      identity(owner, 'subject-browser');
      const flow = await startFlow();
      const tampered = flow.callback.replace(/state=[^&]+/, 'state=forged');
      const response = await fetch(`${base}${tampered}`, {
        redirect: 'manual',
        headers: { accept: 'text/html', cookie: `sessions_oidc=${flow.cookie}` },
      });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(`${base}/login?reason=oidc_state_mismatch`);
    });
  });

  it('in a browser: the callback sets the refresh cookie and sends it to the console, which restores the session (real sockets)', async () => {
    const owner = await signupOwner(t);
    identity(owner, 'subject-browser-ok');
    const browser = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' };
    const started = await fetch(`${base}/api/auth/oauth/mock/authorize`, { redirect: 'manual', headers: browser });
    expect(started.status).toBe(302);
    const stateCookie = started.headers.getSetCookie().find((c) => c.startsWith('sessions_oidc='))!;
    const atIdp = await fetch(started.headers.get('location')!, { redirect: 'manual' });
    const back = await fetch(atIdp.headers.get('location')!, {
      redirect: 'manual',
      headers: { ...browser, cookie: stateCookie.split(';')[0] },
    });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${base}/`);
    const setCookies = back.headers.getSetCookie();
    const refreshCookie = setCookies.find((c) => c.startsWith('sessions_refresh='))!;
    expect(refreshCookie).toMatch(/HttpOnly/);
    expect(refreshCookie).toMatch(/SameSite=Strict/);
    expect(refreshCookie).toMatch(/Path=\/api\/auth/);
    expect(setCookies.some((c) => c.startsWith('sessions_oidc=;'))).toBe(true);
    expect(await back.text()).not.toMatch(/eyJ/);

    const restored = await fetch(`${base}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token-transport': 'cookie', cookie: refreshCookie.split(';')[0] },
      body: '{}',
    });
    expect(restored.status).toBe(200);
    expect(decodeJwt(((await restored.json()) as { access_token: string }).access_token)['sub']).toBe(owner.id);
  });

  it('never logs the authorization code or the state', async () => {
    const owner = await signupOwner(t);
    identity(owner, 'subject-logs');
    const flow = await startFlow();
    expect((await finish(flow)).status).toBe(200);
    const query = new URL(flow.callback, base).searchParams;
    const all = lines.join('\n');
    expect(all).not.toContain(query.get('code')!);
    expect(all).not.toContain(query.get('state')!);
    expect(all).not.toContain(flow.cookie);
  });

  describe("the account's sign-in policy", () => {
    it('requires external sign-in for members (password refused with sso_required), owners keep their password', async () => {
      const owner = await signupOwner(t);
      const member = await addMember(t, owner, 'admin');
      const patched = await t.patch(
        '/api/accounts/me/security/sign-in',
        { require_external_sign_in: true },
        { token: owner.tokens.access_token },
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({
        require_external_sign_in: true,
        allowed_providers: null,
        allowed_email_domains: null,
        available_providers: [{ id: 'mock', display_name: 'Mock IdP' }],
      });
      const refused = await t.post('/api/auth/login/json', { email: member.email, password: member.password });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('sso_required');
      // A wrong password still answers like any wrong password: the policy is not disclosed to guessers.
      expect((await t.post('/api/auth/login/json', { email: member.email, password: 'wrong-password-9' })).body.code).toBe(
        'invalid_credentials',
      );
      await login(t, owner.email, owner.password);
      const failed = await auditOf(owner, 'auth.login_failed');
      expect(failed.some((e) => e.details['reason'] === 'sso_required' && e.actor.user_id === member.id)).toBe(true);
      expect((await auditOf(owner, 'account.sign_in_policy_update'))[0].details).toEqual({
        old: { require_external_sign_in: false, allowed_providers: null, allowed_email_domains: null },
        new: { require_external_sign_in: true, allowed_providers: null, allowed_email_domains: null },
      });

      // The member signs in with the provider instead, and cannot unlink their only way in.
      identity(member, 'subject-sso-member');
      const signedIn = await finish(await startFlow());
      expect(signedIn.status).toBe(200);
      const [link] = (await t.get('/api/me/identities', { token: signedIn.body.access_token })).body;
      const unlink = await t.delete(`/api/me/identities/${link.id}`, { token: signedIn.body.access_token });
      expect(unlink.status).toBe(409);
      expect(unlink.body.code).toBe('last_sign_in_method');
    });

    it('restricts providers and email domains, audited in the account', async () => {
      const owner = await signupOwner(t, { email: `owner-${Date.now()}@corp.example` });
      const bad = await t.patch(
        '/api/accounts/me/security/sign-in',
        { allowed_providers: ['google'] },
        { token: owner.tokens.access_token },
      );
      expect(bad.status).toBe(422);
      const domains = await t.patch(
        '/api/accounts/me/security/sign-in',
        { allowed_email_domains: ['Other.Example'] },
        { token: owner.tokens.access_token },
      );
      expect(domains.body.allowed_email_domains).toEqual(['other.example']);
      identity(owner, 'subject-domain');
      const before = await sessionCount();
      await expectRefused(await finish(await startFlow()), 'oidc_email_domain_not_allowed', before);
      const failed = await auditOf(owner, 'auth.login_failed');
      expect(failed[0].details).toEqual({ method: 'oidc:mock', reason: 'email_domain_not_allowed' });

      await t.patch(
        '/api/accounts/me/security/sign-in',
        { allowed_email_domains: null, allowed_providers: [] },
        { token: owner.tokens.access_token },
      );
      await expectRefused(await finish(await startFlow()), 'oidc_provider_not_allowed', before);
    });

    it('is owner-only', async () => {
      const owner = await signupOwner(t);
      const admin = await addMember(t, owner, 'admin');
      expect((await t.get('/api/accounts/me/security/sign-in', { token: admin.tokens.access_token })).status).toBe(403);
      expect(
        (await t.patch('/api/accounts/me/security/sign-in', { require_external_sign_in: true }, { token: admin.tokens.access_token }))
          .status,
      ).toBe(403);
    });
  });

  it('links once when two first sign-ins of the same identity race', async () => {
    const owner = await signupOwner(t);
    identity(owner, 'subject-race');
    const flows = [await startFlow(), await startFlow()];
    const [a, b] = await Promise.all(flows.map((flow) => finish(flow)));
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = await t.db.query(`SELECT user_id FROM user_identities WHERE subject = 'subject-race'`);
    expect(rows).toEqual([{ user_id: owner.id }]);
    expect(await auditOf(owner, 'identity.linked')).toHaveLength(1);
  });

  it('lets a user unlink an identity (not someone else’s), audited', async () => {
    const owner = await signupOwner(t);
    identity(owner, 'subject-unlink');
    const signedIn = await finish(await startFlow());
    const [link] = (await t.get('/api/me/identities', { token: signedIn.body.access_token })).body;
    const other = await signupOwner(t);
    expect((await t.delete(`/api/me/identities/${link.id}`, { token: other.tokens.access_token })).status).toBe(404);
    expect((await t.delete(`/api/me/identities/${link.id}`, { token: owner.tokens.access_token })).status).toBe(204);
    expect((await t.get('/api/me/identities', { token: owner.tokens.access_token })).body).toEqual([]);
    expect((await auditOf(owner, 'identity.unlinked'))[0].details).toEqual({ user_id: owner.id, provider: 'mock' });
  });
});
