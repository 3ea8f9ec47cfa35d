import { randomBytes } from 'node:crypto';
import { addMember, decodeJwt, login, SignedInUser, signupOwner } from './builders';
import { fillPath, listOperations } from './openapi-operations';
import { createTestApp, RequestOptions, TestApp } from './test-app';

/**
 * Who may call what, for every operation of the committed OpenAPI document.
 *
 * Each operation gets a fresh world: account A (owner, admin, engineer, and a
 * "target" engineer whose ids go into paths) and account B, whose owner is
 * `other_owner`. Path ids always name account A's resources, so `other_owner`
 * is the cross-tenant attacker: besides the status, nothing of account A may
 * appear in what they get back.
 */
const ACTORS = ['anonymous', 'engineer', 'admin', 'other_owner', 'owner'] as const;
type Actor = (typeof ACTORS)[number];

interface World {
  owner: SignedInUser;
  admin: SignedInUser;
  engineer: SignedInUser;
  target: SignedInUser & { sessionId: string };
  otherOwner: SignedInUser;
}

interface Call {
  body?: unknown;
  form?: Record<string, string>;
}

interface Row {
  /** Expected status per actor, in ACTORS order. */
  expect: Record<Actor, number>;
  /** A query string the operation needs (without `?`). */
  query?: string;
  /** The request body (fresh per actor: tokens are single use, emails unique). */
  call?: (t: TestApp, world: World, caller: SignedInUser | null) => Promise<Call> | Call;
}

const unique = () => randomBytes(4).toString('hex');
const all = (status: number): Record<Actor, number> => ({
  anonymous: status,
  engineer: status,
  admin: status,
  other_owner: status,
  owner: status,
});
const signedIn = (status: number): Record<Actor, number> => ({ ...all(status), anonymous: 401 });
const ownerOnly = (status: number): Record<Actor, number> => ({
  anonymous: 401,
  engineer: 403,
  admin: 403,
  other_owner: status,
  owner: status,
});

/** The table. A new operation in openapi.json without a row here fails the suite. */
const MATRIX: Record<string, Row> = {
  'GET /api/accounts/me/audit-events': { expect: ownerOnly(200) },
  // other_owner: 200 with their own account's events only (the check below: nothing of account A).
  'GET /api/accounts/me/audit-events/export': { expect: ownerOnly(200), query: 'format=ndjson' },
  'GET /api/accounts/me/members': { expect: { ...ownerOnly(200), admin: 200 } },
  'POST /api/accounts/me/members': {
    expect: ownerOnly(201),
    call: () => ({ body: { name: 'New', email: `new-${unique()}@example.test`, role: 'engineer', password: 'member-password-1' } }),
  },
  'PATCH /api/accounts/me/members/{id}': { expect: { ...ownerOnly(200), other_owner: 404 }, call: () => ({ body: { role: 'admin' } }) },
  'GET /api/accounts/me/members/{id}/sessions': { expect: { ...ownerOnly(200), other_owner: 404 } },
  'DELETE /api/accounts/me/members/{id}/sessions': { expect: { ...ownerOnly(200), other_owner: 404 } },
  'DELETE /api/accounts/me/members/{id}/sessions/{sessionId}': { expect: { ...ownerOnly(204), other_owner: 404 } },
  'GET /api/accounts/me/security': { expect: ownerOnly(200) },
  'PATCH /api/accounts/me/security': { expect: ownerOnly(200), call: () => ({ body: { idle_minutes: 60 } }) },
  'POST /api/accounts/me/security/revoke-sessions': { expect: ownerOnly(200), call: () => ({ body: { scope: 'others' } }) },
  'GET /api/accounts/me/security/sign-in': { expect: ownerOnly(200) },
  // Admins read the role overrides (they see the policy their own sessions get); only owners change them.
  'GET /api/accounts/me/security/role-policies': { expect: { ...ownerOnly(200), admin: 200 } },
  'PUT /api/accounts/me/security/role-policies/{role}': {
    expect: ownerOnly(200),
    call: () => ({ body: { idle_minutes: 30, absolute_minutes: 720 } }),
  },
  'DELETE /api/accounts/me/security/role-policies/{role}': { expect: ownerOnly(200) },
  'PATCH /api/accounts/me/security/sign-in': {
    expect: ownerOnly(200),
    call: () => ({ body: { allowed_email_domains: ['example.test'] } }),
  },
  'GET /api/auth/providers': { expect: all(200) },
  // No provider is configured in this app: an unconfigured provider is absent, for everyone
  // (the flows themselves are in oidc-sign-in.spec.ts, against a provider on loopback).
  'GET /api/auth/oauth/{provider}/authorize': { expect: all(404) },
  'GET /api/auth/oauth/{provider}/callback': { expect: all(404) },
  'GET /api/me/identities': { expect: signedIn(200) },
  // Only the caller's own links: any other id is 404 for everyone.
  'DELETE /api/me/identities/{id}': { expect: signedIn(404) },
  'POST /api/auth/login': {
    expect: all(200),
    call: (_t, w) => ({ form: { username: w.target.email, password: w.target.password, grant_type: 'password' } }),
  },
  'POST /api/auth/login/json': { expect: all(200), call: (_t, w) => ({ body: { email: w.target.email, password: w.target.password } }) },
  'POST /api/auth/logout': {
    expect: all(204),
    call: async (t, w) => ({ body: { refresh_token: (await login(t, w.target.email, w.target.password)).refresh_token } }),
  },
  'GET /api/auth/me': { expect: signedIn(200) },
  'POST /api/auth/password': {
    expect: signedIn(204),
    call: (_t, _w, caller) => ({
      body: { current_password: caller?.password ?? 'not-signed-in', new_password: `new-password-${unique()}` },
    }),
  },
  // Every caller steps up their own session; other_owner learns nothing of account A (timestamps only).
  'POST /api/auth/reauthenticate': {
    expect: signedIn(200),
    call: (_t, _w, caller) => ({ body: { password: caller?.password ?? 'not-signed-in' } }),
  },
  // Signed in only (anonymous 401 before anything); no provider is configured here, so 404 for
  // everyone signed in. The flow (own session only, own linked identity only) is in oidc-step-up.spec.ts.
  'POST /api/auth/reauthenticate/oauth/{provider}': { expect: signedIn(404), call: () => ({ body: { return_to: '/security' } }) },
  'POST /api/auth/refresh': {
    expect: all(200),
    call: async (t, w) => ({ body: { refresh_token: (await login(t, w.target.email, w.target.password)).refresh_token } }),
  },
  'POST /api/auth/signup': {
    expect: all(201),
    call: () => ({ body: { account_name: 'Acme', name: 'Ada', email: `signup-${unique()}@example.test`, password: 'owner-password-1' } }),
  },
  'GET /api/health': { expect: all(200) },
  'GET /api/health/live': { expect: all(200) },
  'GET /api/health/ready': { expect: all(200) },
  'GET /api/me/sessions': { expect: signedIn(200) },
  'POST /api/me/sessions/revoke-others': { expect: signedIn(200) },
  // Only the caller's own sessions: another user's session id is 404 for everyone, the owner included.
  'DELETE /api/me/sessions/{id}': { expect: { ...signedIn(404) } },
};

describe('authorization matrix (every operation of openapi.json × every kind of caller)', () => {
  let t: TestApp;
  const operations = listOperations();
  let cells = 0;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.stdout.write(`authorization matrix: ${operations.length} operations × ${ACTORS.length} callers = ${cells} cells checked\n`);
  });

  it('has a row for every operation of the OpenAPI document, and no row for an operation that is gone', () => {
    const keys = operations.map((operation) => operation.key);
    expect(keys.filter((key) => !(key in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((key) => !keys.includes(key))).toEqual([]);
  });

  async function buildWorld(): Promise<World> {
    const owner = await signupOwner(t);
    const admin = await addMember(t, owner, 'admin');
    const engineer = await addMember(t, owner, 'engineer');
    const target = await addMember(t, owner, 'engineer');
    const otherOwner = await signupOwner(t);
    return { owner, admin, engineer, otherOwner, target: { ...target, sessionId: decodeJwt(target.tokens.access_token)['sid'] } };
  }

  const callerOf = (world: World, actor: Actor): SignedInUser | null =>
    actor === 'anonymous'
      ? null
      : { engineer: world.engineer, admin: world.admin, owner: world.owner, other_owner: world.otherOwner }[actor];

  describe.each(operations.map((operation) => [operation.key, operation] as const))('%s', (key, operation) => {
    it('answers each caller as the table says', async () => {
      const row = MATRIX[key];
      if (!row) throw new Error(`no authorization matrix row for ${key}: add one to MATRIX`);
      const world = await buildWorld();
      const path = fillPath(operation.path, {
        id: operation.path.includes('/members/') ? world.target.id : world.target.sessionId,
        sessionId: world.target.sessionId,
        provider: 'google',
        role: 'admin',
      });
      const url = row.query ? `${path}?${row.query}` : path;
      const accountAIds = [
        world.owner.accountId,
        world.owner.id,
        world.admin.id,
        world.engineer.id,
        world.target.id,
        world.target.sessionId,
      ];
      const got: Partial<Record<Actor, number>> = {};
      for (const actor of ACTORS) {
        const caller = callerOf(world, actor);
        const call = (await row.call?.(t, world, caller)) ?? {};
        const options: RequestOptions = { token: caller?.tokens.access_token, form: call.form };
        const response = await t.request(operation.method, url, call.form ? undefined : call.body, options);
        got[actor] = response.status;
        cells++;
        if (response.status >= 400) expect(String(response.headers['content-type'])).toContain('application/problem+json');
        if (actor === 'other_owner') {
          const text = JSON.stringify(response.body ?? '');
          for (const id of accountAIds) expect(text).not.toContain(id);
        }
      }
      expect(got).toEqual(row.expect);
    });
  });

  // Last: it moves the shared clock. Every caller above is freshly signed in, so the step-up
  // check (ADR 0018) lets them through; a stale one is refused whatever their role allows.
  it('refuses an owner who authenticated longer ago than the step-up window (reauthentication_required)', async () => {
    const owner = await signupOwner(t);
    t.clock.advance(t.config.stepUpMaxAgeSeconds + 60);
    const tokens = (await t.post('/api/auth/refresh', { refresh_token: owner.tokens.refresh_token })).body;
    const response = await t.patch('/api/accounts/me/security', { idle_minutes: 60 }, { token: tokens.access_token });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'reauthentication_required', max_age_seconds: t.config.stepUpMaxAgeSeconds });
    // Reading stays open: only the sensitive operations ask.
    expect((await t.get('/api/accounts/me/security', { token: tokens.access_token })).status).toBe(200);
  });
});
