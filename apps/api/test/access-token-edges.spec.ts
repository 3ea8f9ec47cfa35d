import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { decodeJwt, signJwt, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 11: JWTs on fast-jwt and the `@Auth()` guard without passport. Every token that is
 * not ours, not of the right type, not HS256, or not live by the injected clock is a 401
 * problem+json over a real socket — never a 500 — for the guard and for refresh alike.
 */
describe('access and refresh tokens: hostile tokens over real HTTP (issue 11)', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  /** A JWT with any header and claims, HMAC-signed under `hash` with `secret`. */
  const hmacJwt = (header: object, claims: object, secret: string, hash = 'sha256') => {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
  };

  async function me(authorization: string | undefined) {
    const response = await fetch(`${base}/api/auth/me`, { headers: authorization === undefined ? {} : { authorization } });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as Record<string, unknown>,
    };
  }
  async function refresh(token: string) {
    const response = await fetch(`${base}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as Record<string, unknown>,
    };
  }
  const refused = (response: { status: number; type: string; body: Record<string, unknown> }, code: string, detail?: RegExp) => {
    expect({ status: response.status, type: response.type, code: response.body['code'] }).toEqual({
      status: 401,
      type: expect.stringContaining('application/problem+json'),
      code,
    });
    if (detail) expect(response.body['detail']).toMatch(detail);
  };

  it('refuses every hostile or foreign bearer token with 401 unauthenticated', async () => {
    const owner = await signupOwner(t);
    const access = owner.tokens.access_token;
    const claims = decodeJwt(access);
    const [header, payload, signature] = access.split('.');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const secret = t.config.accessTokenSecret;
    const hostile: Record<string, string> = {
      'a refresh token': owner.tokens.refresh_token,
      'access claims signed with the refresh key': signJwt(claims, t.config.refreshTokenSecret),
      'alg none, no signature': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'alg none, the original signature': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
      'alg HS512 signed with the access key': hmacJwt({ alg: 'HS512', typ: 'JWT' }, claims, secret, 'sha512'),
      'alg HS384 signed with the access key': hmacJwt({ alg: 'HS384', typ: 'JWT' }, claims, secret, 'sha384'),
      'alg RS256 HMAC-signed with a public key': hmacJwt({ alg: 'RS256', typ: 'JWT' }, claims, pem),
      'alg RS256 HMAC-signed with the access key': hmacJwt({ alg: 'RS256', typ: 'JWT' }, claims, secret),
      'a tampered payload': `${header}.${b64({ ...claims, role: 'owner', acc: 'someone-else' })}.${signature}`,
      'a truncated token': access.slice(0, access.length - 5),
      'no signature part': `${header}.${payload}`,
      'an empty signature': `${header}.${payload}.`,
      'non-base64 garbage': '%%%.!!!.***',
      'garbage without dots': 'garbage',
      'a JSON array payload': hmacJwt({ alg: 'HS256', typ: 'JWT' }, [1, 2], secret),
      'a payload that is not JSON': `${header}.${b64('not json')}.${createHmac('sha256', secret)
        .update(`${header}.${b64('not json')}`)
        .digest('base64url')}`,
      'a header that is not JSON': `${b64('{"alg":')}.${payload}.${signature}`,
      'a huge JWT header': `${b64({ alg: 'HS256', typ: 'JWT', pad: 'x'.repeat(6000) })}.${payload}.${signature}`,
      'a long token signed with the access key': hmacJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, pad: 'x'.repeat(4000) }, secret),
      'an unknown crit header': hmacJwt({ alg: 'HS256', typ: 'JWT', crit: ['exp'] }, claims, secret),
    };
    for (const [name, token] of Object.entries(hostile)) {
      const response = await me(`Bearer ${token}`);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      refused(response, 'unauthenticated');
    }
    for (const authorization of [undefined, '', 'Bearer', `Basic ${access}`, `${access}`, 'Bearer  ']) {
      refused(await me(authorization), 'unauthenticated', /valid access token is required/);
    }
    // The untouched token, whatever the scheme's case, still works: the refusals were about the token.
    expect((await me(`Bearer ${access}`)).status).toBe(200);
    expect((await me(`bearer ${access}`)).status).toBe(200);
  });

  it('refuses an access token whose claims are wrong even when the signature is ours', async () => {
    const owner = await signupOwner(t);
    const claims = decodeJwt(owner.tokens.access_token);
    const secret = t.config.accessTokenSecret;
    const ttl = t.config.accessTokenTtlSeconds;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['typ refresh', { ...claims, typ: 'refresh' }, /expired or not an access token/],
      ['no typ', { ...claims, typ: undefined }, /expired or not an access token/],
      ['no exp', { ...claims, exp: undefined }, /expired or not an access token/],
      ['exp a string', { ...claims, exp: String(claims['exp']) }, /expired or not an access token/],
      ['no iat', { ...claims, iat: undefined }, /lives longer/],
      ['iat a string', { ...claims, iat: String(claims['iat']) }, /lives longer/],
      ['exp − iat above the TTL', { ...claims, exp: claims['iat'] + ttl + 1 }, /lives longer/],
      ['an unknown role', { ...claims, role: 'root' }, /valid access token is required/],
      ['no sid', { ...claims, sid: undefined }, /valid access token is required/],
      ['sub a number', { ...claims, sub: 42 }, /valid access token is required/],
    ];
    for (const [name, body, detail] of cases) {
      const response = await me(`Bearer ${hmacJwt({ alg: 'HS256', typ: 'JWT' }, body, secret)}`);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      refused(response, 'unauthenticated', detail);
    }
  });

  it('judges expiry by the injected clock, to the second', async () => {
    const owner = await signupOwner(t);
    const claims = decodeJwt(owner.tokens.access_token);
    const start = t.clock.nowSeconds();
    try {
      t.clock.advance(claims['exp'] - start - 1);
      expect((await me(`Bearer ${owner.tokens.access_token}`)).status).toBe(200);
      t.clock.advance(1);
      refused(await me(`Bearer ${owner.tokens.access_token}`), 'unauthenticated', /expired/);
    } finally {
      t.clock.advance(start - t.clock.nowSeconds());
    }
  });

  it('refuses hostile refresh tokens with invalid_refresh_token and no reason', async () => {
    const owner = await signupOwner(t);
    const token = owner.tokens.refresh_token;
    const claims = decodeJwt(token);
    const [header, payload, signature] = token.split('.');
    const secret = t.config.refreshTokenSecret;
    for (const hostileToken of [
      owner.tokens.access_token,
      signJwt(claims, t.config.accessTokenSecret),
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      hmacJwt({ alg: 'HS512', typ: 'JWT' }, claims, secret, 'sha512'),
      hmacJwt({ alg: 'RS256', typ: 'JWT' }, claims, secret),
      `${header}.${b64({ ...claims, idle_max: 10 ** 9 })}.${signature}`,
      token.slice(0, -3),
      '%%%.!!!.***',
      `${b64({ alg: 'HS256', typ: 'JWT', pad: 'x'.repeat(2500) })}.${payload}.${signature}`,
    ]) {
      const response = await refresh(hostileToken);
      refused(response, 'invalid_refresh_token');
      expect(response.body['reason']).toBeUndefined();
    }
    // Longer than any token we mint: the body's own bound (4,096) answers before any parsing.
    const huge = await refresh(`${b64({ alg: 'HS256', typ: 'JWT', pad: 'x'.repeat(6000) })}.${payload}.${signature}`);
    expect({ status: huge.status, code: huge.body['code'] }).toEqual({ status: 422, code: 'validation_failed' });
    expect((await refresh(token)).status).toBe(200);
  });
});
