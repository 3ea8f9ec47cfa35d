import { randomBytes } from 'node:crypto';
import { login, refresh, signupOwner, Tokens } from './builders';
import { createTestApp, HttpResponse, TestApp } from './test-app';

/**
 * Issue 8.7 and 8.8: limits on guessing and flooding, through HTTP on real PostgreSQL.
 *
 * rate-limiter-flexible reads `Date.now()`; these tests fake `Date` only (timers,
 * I/O and microtasks stay real) and move it together with the app's TestClock,
 * so waits pass without sleeping.
 */
const REAL_EXCEPT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

async function limitedApp(env: Record<string, string>): Promise<TestApp> {
  const t = await createTestApp(env);
  jest.useFakeTimers({ doNotFake: [...REAL_EXCEPT_DATE], now: t.clock.now() });
  return t;
}

function advance(t: TestApp, seconds: number): void {
  t.clock.advance(seconds);
  jest.setSystemTime(t.clock.now());
}

let addresses = 0;
/** A fresh client address per use (TEST-NET-3 + a counter), so tests never share a counter by accident. */
const address = () => `203.0.113.${++addresses}`;
const email = () => `nobody-${randomBytes(4).toString('hex')}@example.test`;

const signIn = (t: TestApp, login: string, password: string, ip: string) =>
  t.post<Tokens & { code?: string; detail?: string }>('/api/auth/login/json', { email: login, password }, { ip });

function expectRateLimited(response: HttpResponse, retryAfter: number, sentence: RegExp): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status: 429, code: 'rate_limited' });
  expect(response.body.detail).toMatch(sentence);
  expect(Number(response.headers['retry-after'])).toBe(retryAfter);
}

const metric = async (t: TestApp, limit: string): Promise<number> => {
  const text = (await t.get('/api/metrics')).body as string;
  const match = new RegExp(`^sessions_rate_limited_total\\{limit="${limit}"\\} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
};

describe('sign-in limits per (email, address) pair and per address (issue 8.7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await limitedApp({
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
      LOGIN_MAX_FAILURES_PER_PAIR: '4',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '8',
      // Email-level waits are tested below; here they stay out of the way.
      LOGIN_EMAIL_FREE_FAILURES: '1000',
    });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await t.close();
  });

  it('lets the right password in from another address after 12 failures from one (the lockout)', async () => {
    const owner = await signupOwner(t);
    const attacker = address();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn(t, owner.email, 'wrong-password', attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429, 429]);

    const fromElsewhere = await signIn(t, owner.email, owner.password, address());
    expect(fromElsewhere.status).toBe(200);
    // The attacker's pair is still refused, even with the right password, until its window ends.
    expectRateLimited(
      await signIn(t, owner.email, owner.password, attacker),
      600,
      /^Too many failed sign-in attempts; try again in 10 minutes\.$/,
    );
  });

  it('refuses a pair after its failures, without checking the password or auditing, until the window ends', async () => {
    const owner = await signupOwner(t);
    const ip = address();
    for (let i = 0; i < 4; i++) expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
    const before = await metric(t, 'login_pair');
    for (let i = 0; i < 3; i++) {
      expectRateLimited(await signIn(t, owner.email, owner.password, ip), 600, /try again in 10 minutes/);
    }
    // The OAuth2 form shares the limit.
    const form = await t.post('/api/auth/login', undefined, { ip, form: { username: owner.email, password: owner.password } });
    expect(form.status).toBe(429);
    expect(await metric(t, 'login_pair')).toBe(before + 4);
    // Only the four verified failures are audited: refused attempts proved nothing.
    const [{ failed }] = await t.db.query(
      `SELECT count(*)::int AS failed FROM audit_events WHERE action = 'auth.login_failed' AND resource_id = $1`,
      [owner.id],
    );
    expect(failed).toBe(4);

    advance(t, 599);
    expectRateLimited(await signIn(t, owner.email, owner.password, ip), 1, /try again in 1 second\./);
    advance(t, 1);
    expect((await signIn(t, owner.email, owner.password, ip)).status).toBe(200);
  });

  it('holds under a burst: of 12 concurrent wrong guesses on one pair, 4 are checked and 8 refused', async () => {
    const owner = await signupOwner(t);
    const ip = address();
    const burst = await Promise.all(Array.from({ length: 12 }, () => signIn(t, owner.email, 'wrong-password', ip)));
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(4).fill(401), ...Array<number>(8).fill(429)]);
  });

  it('resets the pair on a successful sign-in', async () => {
    const owner = await signupOwner(t);
    const ip = address();
    for (let i = 0; i < 3; i++) expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
    expect((await signIn(t, owner.email, owner.password, ip)).status).toBe(200);
    // Without the reset the next failure would be the fourth and the one after it refused.
    for (let i = 0; i < 3; i++) expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
    expect((await signIn(t, owner.email, owner.password, ip)).status).toBe(200);
  });

  it('limits one address across many emails (spraying), and only that address', async () => {
    const ip = address();
    for (let i = 0; i < 8; i++) expect((await signIn(t, email(), 'wrong-password', ip)).status).toBe(401);
    const before = await metric(t, 'login_address');
    expectRateLimited(await signIn(t, email(), 'wrong-password', ip), 600, /Too many failed sign-in attempts/);
    expect(await metric(t, 'login_address')).toBe(before + 1);
    expect((await signIn(t, email(), 'wrong-password', address())).status).toBe(401);
  });

  it('keys IPv6 clients by their /64, so rotating addresses inside it does not escape the limit', async () => {
    for (let i = 1; i <= 8; i++) expect((await signIn(t, email(), 'wrong-password', `2001:db8:8:7::${i}`)).status).toBe(401);
    expect((await signIn(t, email(), 'wrong-password', '2001:db8:8:7::ffff')).status).toBe(429);
    expect((await signIn(t, email(), 'wrong-password', '2001:db8:8:8::1')).status).toBe(401);
  });
});

describe('sign-in: growing waits per email, never for a clean address (issue 8.7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await limitedApp({
      LOGIN_FAILURE_WINDOW_SECONDS: '3600',
      LOGIN_MAX_FAILURES_PER_PAIR: '100',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100',
      LOGIN_EMAIL_FREE_FAILURES: '2',
      LOGIN_EMAIL_DELAY_BASE_SECONDS: '30',
      LOGIN_EMAIL_DELAY_MAX_SECONDS: '120',
    });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await t.close();
  });

  it('doubles the wait after each failure past the free ones, up to the cap, with Retry-After saying so', async () => {
    const owner = await signupOwner(t);
    const ip = address();
    expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
    expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
      const refused = await signIn(t, owner.email, 'wrong-password', ip);
      expectRateLimited(
        refused,
        Number(refused.headers['retry-after']),
        /^Too many failed sign-in attempts; try again in \d+ (seconds|minutes)\.$/,
      );
      waits.push(Number(refused.headers['retry-after']));
      advance(t, waits[i]);
    }
    expect(waits).toEqual([30, 60, 120, 120]);
    expect((await signIn(t, owner.email, owner.password, ip)).status).toBe(200);
  });

  it('during a wait: the right password from a clean address signs in, a wrong one is checked (401), failing addresses wait', async () => {
    const owner = await signupOwner(t);
    const attackers = [address(), address(), address()];
    for (const ip of attackers) expect((await signIn(t, owner.email, 'wrong-password', ip)).status).toBe(401);
    // Three failures on the email, two free: every address that failed on it now waits 30 s.
    for (const ip of attackers) expectRateLimited(await signIn(t, owner.email, 'wrong-password', ip), 30, /try again in 30 seconds/);
    const before = await metric(t, 'login_email');

    expect((await signIn(t, owner.email, owner.password, address())).status).toBe(200);
    const clean = address();
    expect((await signIn(t, owner.email, 'wrong-password', clean)).status).toBe(401);
    expect(await metric(t, 'login_email')).toBe(before);
    // Once it has failed, it waits like the others (60 s after the email's fourth failure).
    expectRateLimited(await signIn(t, owner.email, owner.password, clean), 60, /try again in 60 seconds/);
    expect(await metric(t, 'login_email')).toBe(before + 1);
  });
});

describe('password change: limited guesses of current_password per user (issue 8.8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await limitedApp({ PASSWORD_CHANGE_MAX_FAILURES: '3', PASSWORD_CHANGE_WINDOW_SECONDS: '900' });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await t.close();
  });

  const change = (token: string, current: string) =>
    t.post('/api/auth/password', { current_password: current, new_password: 'a-brand-new-password-9' }, { token });

  it('answers 422 on current_password for the first failures, then 429 even for the right one, then lets it through', async () => {
    const owner = await signupOwner(t);
    const other = await signupOwner(t);
    for (let i = 0; i < 3; i++) {
      const wrong = await change(owner.tokens.access_token, 'not-my-password');
      expect(wrong.status).toBe(422);
      expect(wrong.body.errors).toEqual([{ field: 'current_password', message: 'current_password is incorrect' }]);
    }
    expectRateLimited(
      await change(owner.tokens.access_token, owner.password),
      900,
      /^Too many wrong current passwords; try again in 15 minutes\.$/,
    );
    // The session is not ended (see docs/limits.md), and other users are not affected.
    expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(200);
    expect((await change(other.tokens.access_token, 'not-my-password')).status).toBe(422);

    advance(t, 900);
    const fresh = await login(t, owner.email, owner.password);
    expect((await change(fresh.access_token, owner.password)).status).toBe(204);
  });

  it('holds under a burst: of 8 concurrent guesses, 3 are checked and 5 refused', async () => {
    const owner = await signupOwner(t);
    const burst = await Promise.all(Array.from({ length: 8 }, () => change(owner.tokens.access_token, 'not-my-password')));
    expect(burst.map((r) => r.status).sort()).toEqual([422, 422, 422, 429, 429, 429, 429, 429]);
  });

  it('counts per user, not per session: a second session does not get fresh guesses', async () => {
    const owner = await signupOwner(t);
    const second = await login(t, owner.email, owner.password);
    for (let i = 0; i < 3; i++) expect((await change(owner.tokens.access_token, 'not-my-password')).status).toBe(422);
    expect((await change(second.access_token, 'not-my-password')).status).toBe(429);
  });
});

describe('sign-up: limited per address (issue 8.8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await limitedApp({ SIGNUP_MAX_PER_ADDRESS: '3', SIGNUP_WINDOW_SECONDS: '3600' });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await t.close();
  });

  it('refuses the fourth sign-up from one address within the hour, not from another, and again after it', async () => {
    const ip = address();
    for (let i = 0; i < 3; i++) await signupOwner(t, {}, { ip });
    const refused = await t.post(
      '/api/auth/signup',
      { account_name: 'Acme', name: 'Ada', email: email(), password: 'owner-password-1' },
      { ip },
    );
    expectRateLimited(refused, 3600, /^Too many sign-ups from this address; try again in 60 minutes\.$/);
    expect(await metric(t, 'signup')).toBe(1);
    await signupOwner(t, {}, { ip: address() });
    advance(t, 3600);
    await signupOwner(t, {}, { ip });
  });
});

describe('refresh: a generous limit per address, invalid tokens cost more (issue 8.8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await limitedApp({ REFRESH_MAX_PER_ADDRESS: '20', REFRESH_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await t.close();
  });

  it('allows the budget of valid rotations, refuses the next until the window ends', async () => {
    const ip = address();
    let token = (await signupOwner(t)).tokens.refresh_token;
    for (let i = 0; i < 20; i++) {
      const rotated = await refresh(t, token, { ip });
      expect(rotated.status).toBe(200);
      token = rotated.body.refresh_token;
    }
    expectRateLimited(await refresh(t, token, { ip }), 60, /^Too many refresh requests from this address; try again in 60 seconds\.$/);
    // The refused request did not consume the token: it still rotates once the window has passed.
    advance(t, 60);
    expect((await refresh(t, token, { ip })).status).toBe(200);
  });

  it('charges an invalid token ten times a rotation', async () => {
    const ip = address();
    const owner = await signupOwner(t);
    expect((await refresh(t, 'forged.token.value', { ip })).status).toBe(401);
    const replayed = owner.tokens.refresh_token;
    expect((await refresh(t, replayed, { ip })).status).toBe(200);
    // 10 + 1 points used; a replay of the consumed token costs 10 more: 21 > 20.
    expect((await refresh(t, replayed, { ip })).body.code).toBe('invalid_refresh_token');
    expect((await refresh(t, 'forged.token.value', { ip })).status).toBe(429);
    // Another address is not affected.
    expect((await refresh(t, 'forged.token.value', { ip: address() })).status).toBe(401);
  });
});
