import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { decodeJwt, signupOwner } from './builders';
import { rawRequest, RawResponse } from './raw-http';
import { createTestApp, HttpResponse, TestApp } from './test-app';

const isProblem = (response: HttpResponse, status: number) => {
  expect(response.status).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  expect(response.body).toMatchObject({ type: 'about:blank', status, code: expect.any(String), title: expect.any(String) });
};

const isRawProblem = (response: RawResponse, status: number, code = 'malformed_request') => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(JSON.parse(response.body)).toMatchObject({ type: 'about:blank', status, code, title: expect.any(String) });
};

/** A JWT signed with the test app's access key, with whatever claims a test wants. */
function signAccess(secret: string, claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('edges: hostile input never reaches PostgreSQL, every error is problem+json', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  describe('nesting depth (finding 2)', () => {
    it('refuses a deeply nested JSON body with 400 before validation, signed in or not', async () => {
      const arrays = '{"email":' + '['.repeat(20_000) + ']'.repeat(20_000) + ',"password":"x"}';
      const objects = '{"account_name":' + '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000) + '}';
      for (const [url, body] of [
        ['/api/auth/login/json', arrays],
        ['/api/auth/signup', objects],
      ] as const) {
        const response = await t.post(url, body, { headers: { 'content-type': 'application/json' } });
        isProblem(response, 400);
        expect(response.body.code).toBe('malformed_request');
        expect(response.body.detail).toMatch(/nested/);
      }
    });

    it('still accepts ordinary bodies, brackets inside strings included', async () => {
      const response = await t.post('/api/auth/login/json', { email: '[[[[{{{{'.repeat(20), password: '}}}]]]'.repeat(20) });
      expect(response.status).toBe(401);
    });
  });

  describe('string content (finding 2)', () => {
    it('answers 422 naming the field for NUL and lone surrogates in bodies, forms and queries', async () => {
      const owner = await signupOwner(t);
      const token = owner.tokens.access_token;
      const json = { 'content-type': 'application/json' };
      const cases: [string, string, string | undefined, Record<string, unknown>, string][] = [
        ['POST', '/api/auth/login/json', '{"email":"a\\u0000@x.test","password":"xxxxxxxx"}', { headers: json }, 'email'],
        ['POST', '/api/auth/login/json', '{"email":"a\\ud800@x.test","password":"xxxxxxxx"}', { headers: json }, 'email'],
        [
          'POST',
          '/api/auth/signup',
          '{"account_name":"a\\u0000","name":"x","email":"n1@x.test","password":"xxxxxxxxx"}',
          { headers: json },
          'account_name',
        ],
        [
          'POST',
          '/api/auth/signup',
          '{"account_name":"a","name":"\\udc00x","email":"n2@x.test","password":"xxxxxxxxx"}',
          { headers: json },
          'name',
        ],
        [
          'POST',
          '/api/accounts/me/members',
          '{"name":"a\\u0000","email":"m@x.test","role":"engineer","password":"xxxxxxxxx"}',
          { headers: json, token },
          'name',
        ],
        ['POST', '/api/auth/login', undefined, { form: { username: 'a\u0000@x.test', password: 'xxxxxxxx' } }, 'username'],
        ['GET', '/api/accounts/me/audit-events?cursor=%00', undefined, { token }, 'cursor'],
      ];
      const [before] = await t.db.query('SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM users) AS n');
      for (const [method, url, body, options, field] of cases) {
        const response = await t.request(method, url, body, options);
        isProblem(response, 422);
        expect(response.body.code).toBe('validation_failed');
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      const [after] = await t.db.query('SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM users) AS n');
      expect(after.n).toBe(before.n);
    });

    it('keeps the sign-in of a client whose User-Agent holds NUL or a lone surrogate, storing it sanitised', async () => {
      const owner = await signupOwner(t);
      for (const userAgent of ['Evil\u0000Agent/1.0', 'Odd\ud800Agent/2.0']) {
        const response = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password }, { userAgent });
        expect(response.status).toBe(200);
        const { sid } = decodeJwt(response.body.access_token);
        const [row] = await t.db.query('SELECT user_agent FROM sessions WHERE id = $1', [sid]);
        expect(row.user_agent).toMatch(/^(Evil|Odd)\uFFFDAgent\/\d\.0$/);
      }
    });
  });

  describe('errors raised before routing (finding 3)', () => {
    it('answers a path parameter longer than the router allows with a 414 problem', async () => {
      const owner = await signupOwner(t);
      const response = await t.patch(
        `/api/accounts/me/members/${'a'.repeat(300)}`,
        { role: 'admin' },
        { token: owner.tokens.access_token },
      );
      isProblem(response, 414);
      expect(response.body.code).toBe('malformed_request');
      const raw = await rawRequest(port, `DELETE /api/me/sessions/${'b'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      isRawProblem(raw, 414);
    });

    it('answers a path parameter that is not valid percent-encoding with a 400 problem', async () => {
      const owner = await signupOwner(t);
      const response = await t.delete('/api/me/sessions/%E0%A4%A', { token: owner.tokens.access_token });
      isProblem(response, 400);
      expect(response.body.code).toBe('malformed_request');
    });

    it('answers oversized headers with a 431 problem over a real socket', async () => {
      const raw = await rawRequest(port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      isRawProblem(raw, 431);
    });

    it('answers a request the HTTP parser refuses with a 400 problem', async () => {
      isRawProblem(await rawRequest(port, 'NOT A REQUEST\r\n\r\n'), 400);
      isRawProblem(await rawRequest(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n'), 400);
    });

    it('answers too-large and unparseable bodies and unknown routes with problems that have a real title', async () => {
      const large = await t.post('/api/auth/login/json', 'x'.repeat(70_000), { headers: { 'content-type': 'application/json' } });
      isProblem(large, 413);
      expect(large.body.title).toBe('Content Too Large');
      isProblem(await t.post('/api/auth/login/json', '{"email": ', { headers: { 'content-type': 'application/json' } }), 400);
      isProblem(await t.request('PUT', '/api/auth/login'), 404);
      isProblem(await t.get('/api/nothing/here'), 404);
    });
  });

  describe('token responses (finding 4)', () => {
    it('carry Cache-Control: no-store and Pragma: no-cache from signup, both logins and refresh', async () => {
      const signup = await t.post('/api/auth/signup', {
        account_name: 'Cache Co',
        name: 'Owner',
        email: 'cache-owner@example.test',
        password: 'owner-password-1',
      });
      const json = await t.post('/api/auth/login/json', { email: 'cache-owner@example.test', password: 'owner-password-1' });
      const form = await t.post('/api/auth/login', undefined, {
        form: { username: 'cache-owner@example.test', password: 'owner-password-1' },
      });
      const rotated = await t.post('/api/auth/refresh', { refresh_token: json.body.refresh_token });
      for (const response of [signup, json, form, rotated]) {
        expect(response.body.access_token).toEqual(expect.any(String));
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['pragma']).toBe('no-cache');
      }
    });
  });

  describe('content security policy (finding 10)', () => {
    it("allows only same-origin scripts, and Swagger UI's page needs no inline script", async () => {
      const docs = await t.get('/api/docs/');
      expect(docs.status).toBe(200);
      const csp = String(docs.headers['content-security-policy']);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];
      expect(scriptSrc).toBe("'self'");
      const scripts = [...String(docs.body).matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(attributes).toMatch(/src=/);
        expect(inline.trim()).toBe('');
      }
      expect(String(docs.body)).not.toMatch(/\son[a-z]+=/i);
    });
  });

  describe('access token lifetime (finding 10)', () => {
    it('refuses an access token whose exp − iat exceeds the configured TTL', async () => {
      const owner = await signupOwner(t);
      const claims = decodeJwt(owner.tokens.access_token);
      const ttl = t.config.accessTokenTtlSeconds;
      const honest = signAccess(t.config.accessTokenSecret, { ...claims, exp: claims['iat'] + ttl });
      expect((await t.get('/api/auth/me', { token: honest })).status).toBe(200);
      const longLived = signAccess(t.config.accessTokenSecret, { ...claims, exp: claims['iat'] + ttl + 1 });
      const refused = await t.get('/api/auth/me', { token: longLived });
      isProblem(refused, 401);
      expect(refused.body.code).toBe('unauthenticated');
      const withoutIat = { ...claims, iat: undefined };
      expect((await t.get('/api/auth/me', { token: signAccess(t.config.accessTokenSecret, withoutIat) })).status).toBe(401);
    });

    it('refuses tokens with alg "none" or another algorithm than HS256, access and refresh alike (ASVS 9.1.2)', async () => {
      const owner = await signupOwner(t);
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const withHeader = (token: string, header: object, signature: string) => {
        const [, payload] = token.split('.');
        return `${encode(header)}.${payload}.${signature}`;
      };
      for (const alg of ['none', 'None', 'HS512']) {
        const access = withHeader(owner.tokens.access_token, { alg, typ: 'JWT' }, '');
        const refusedAccess = await t.get('/api/auth/me', { token: access });
        isProblem(refusedAccess, 401);
        expect(refusedAccess.body.code).toBe('unauthenticated');
        const refresh = withHeader(owner.tokens.refresh_token, { alg, typ: 'JWT' }, '');
        const refusedRefresh = await t.post('/api/auth/refresh', { refresh_token: refresh });
        isProblem(refusedRefresh, 401);
        expect(refusedRefresh.body).toEqual(expect.objectContaining({ code: 'invalid_refresh_token' }));
        expect(refusedRefresh.body.reason).toBeUndefined();
      }
      // The untouched tokens still work: the refusals above were about the algorithm.
      expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(200);
      expect((await t.post('/api/auth/refresh', { refresh_token: owner.tokens.refresh_token })).status).toBe(200);
    });
  });
});
