import type { ExecutionContext } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { bearerToken, JwtAuthGuard } from '../common/auth/auth.guards';
import { ProblemException } from '../common/problem';
import { loadConfig } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import type { SessionRevocations } from '../sessions/session-revocations.service';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { TokenService } from './token.service';
import { TestClock } from '../../test/support/test-clock';

const config: RuntimeConfig = {
  ...loadConfig({}),
  databaseUrl: 'postgresql://unused',
  accessTokenSecret: 'a'.repeat(32),
  refreshTokenSecret: 'r'.repeat(32),
  databasePoolSize: 1,
};

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** What jsonwebtoken produced before issue 11: `{"alg":"HS256","typ":"JWT"}`, the claims in order, HMAC-SHA256. */
const reference = (claims: object | string, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }, hash = 'sha256') => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
};

const snapshot = { authTime: 1_764_000_000, idleMaxSeconds: 1800, absMaxSeconds: 86_400 };
const mintInput = { userId: 'u1', accountId: 'a1', sessionId: 's1', role: 'admin' as const, jti: 'j1', snapshot, issuedAt: 1_764_000_100 };

describe('TokenService on node:crypto HS256 (issue 11)', () => {
  const tokens = new TokenService(config);

  it('mints byte-for-byte the tokens jsonwebtoken did: same header, same claims in the same order', () => {
    const pair = tokens.mint(mintInput);
    const iat = mintInput.issuedAt;
    expect(pair.accessToken).toBe(
      reference(
        { sub: 'u1', sid: 's1', acc: 'a1', role: 'admin', typ: 'access', iat, exp: iat + config.accessTokenTtlSeconds },
        'a'.repeat(32),
      ),
    );
    expect(pair.refreshToken).toBe(
      reference(
        {
          sub: 'u1',
          sid: 's1',
          jti: 'j1',
          typ: 'refresh',
          auth_time: snapshot.authTime,
          idle_max: 1800,
          abs_max: 86_400,
          iat,
          exp: iat + 1800,
        },
        'r'.repeat(32),
      ),
    );
  });

  it('verifies each token with its own key only', () => {
    const pair = tokens.mint(mintInput);
    expect(tokens.verifyAccess(pair.accessToken)).toMatchObject({ sid: 's1', typ: 'access' });
    expect(tokens.verifyRefresh(pair.refreshToken)).toMatchObject({ sid: 's1', jti: 'j1' });
    expect(tokens.verifyAccess(pair.refreshToken)).toBeNull();
    expect(tokens.verifyRefresh(pair.accessToken)).toBeNull();
  });

  it('returns null, never throws, for anything not HS256 under our key', () => {
    const pair = tokens.mint(mintInput);
    const [header, payload, signature] = pair.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const secret = 'a'.repeat(32);
    const hostile = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `${b64({ alg: 'none' })}.${payload}.${signature}`,
      reference(claims, secret, { alg: 'HS512', typ: 'JWT' }, 'sha512'),
      reference(claims, secret, { alg: 'RS256', typ: 'JWT' }),
      reference(claims, secret, { alg: 'ES256', typ: 'JWT' }),
      reference(claims, secret, { typ: 'JWT' }),
      reference(claims, 'r'.repeat(32)),
      `${header}.${b64({ ...claims, role: 'owner' })}.${signature}`,
      pair.accessToken.slice(0, -1),
      `${header}.${payload}`,
      `${header}..${signature}`,
      '..',
      '',
      '\u0000.\uD800.x',
      '%%%.!!!.***',
      `${b64({ alg: 'HS256', typ: 'JWT', pad: 'x'.repeat(5000) })}.${payload}.${signature}`,
      reference({ ...claims, pad: 'x'.repeat(4100) }, secret),
      reference([1, 2], secret),
      reference('"just a string"', secret),
      reference('null', secret),
      reference(claims, secret, { alg: 'HS256', typ: 'JWT', crit: ['b64'] }),
      // Stricter than a generic JWT library: only our own header bytes, only the canonical signature.
      reference(claims, secret, { typ: 'JWT', alg: 'HS256' }),
      reference(claims, secret, { alg: 'HS256' }),
      `${pair.accessToken}=`,
      `${pair.accessToken}.`,
      `${header}.${payload}.${Buffer.from(signature, 'base64url').toString('base64')}==`,
      123 as unknown as string,
      null as unknown as string,
    ];
    for (const token of hostile) {
      expect(() => tokens.verifyAccess(token)).not.toThrow();
      expect({ token, claims: tokens.verifyAccess(token) }).toEqual({ token, claims: null });
      expect(tokens.verifyRefresh(token)).toBeNull();
    }
  });

  it('leaves exp to the caller, who judges it by the injected clock', () => {
    const expired = reference({ sub: 'u1', sid: 's1', acc: 'a1', role: 'owner', typ: 'access', iat: 1, exp: 2 }, 'a'.repeat(32));
    expect(tokens.verifyAccess(expired)).toMatchObject({ exp: 2 });
  });
});

describe('AccessTokenAuthenticator and the @Auth() JWT guard without passport', () => {
  const tokens = new TokenService(config);
  let clock: TestClock;
  let revoked: Set<string>;
  let authenticator: AccessTokenAuthenticator;
  const iat = 1_764_000_100;
  const access = (claims: Record<string, unknown> = {}) =>
    reference({ sub: 'u1', sid: 's1', acc: 'a1', role: 'engineer', typ: 'access', iat, exp: iat + 300, ...claims }, 'a'.repeat(32));
  const detailOf = (token: string) => {
    try {
      authenticator.authenticate(token);
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      const problem = error as ProblemException;
      expect({ status: problem.getStatus(), code: problem.code }).toEqual({ status: 401, code: 'unauthenticated' });
      return problem.message;
    }
  };

  beforeEach(() => {
    clock = new TestClock(new Date(iat * 1000));
    revoked = new Set();
    const revocations = { isTokenRevoked: (token: { sessionId: string }) => revoked.has(token.sessionId) } as unknown as SessionRevocations;
    authenticator = new AccessTokenAuthenticator(config, tokens, clock, revocations);
  });

  it('accepts a live token and returns the caller', () => {
    expect(authenticator.authenticate(access())).toEqual({ userId: 'u1', sessionId: 's1', accountId: 'a1', role: 'engineer' });
  });

  it('keeps the refusals and their details of the passport strategy', () => {
    expect(detailOf('garbage')).toBe('A valid access token is required.');
    expect(detailOf(access({ typ: 'refresh' }))).toMatch(/expired or not an access token/);
    expect(detailOf(access({ exp: undefined }))).toMatch(/expired or not an access token/);
    expect(detailOf(access({ exp: iat + 301 }))).toMatch(/lives longer/);
    expect(detailOf(access({ iat: undefined }))).toMatch(/lives longer/);
    expect(detailOf(access({ role: 'root' }))).toBe('A valid access token is required.');
    expect(detailOf(access({ acc: 7 }))).toBe('A valid access token is required.');
    revoked.add('s1');
    expect(detailOf(access())).toBe('The session has ended.');
  });

  it('judges exp by the injected clock: valid until the second before exp', () => {
    clock.advance(299);
    expect(detailOf(access())).toBe('accepted');
    clock.advance(1);
    expect(detailOf(access())).toMatch(/expired/);
  });

  it('reads the bearer token as passport-jwt did', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER   abc  ')).toBe('abc');
    expect(bearerToken('Bearer abc def')).toBe('abc');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'abc', ['Bearer abc']]) {
      expect(bearerToken(header as string | undefined)).toBeNull();
    }
  });

  it('puts the caller on the request, or throws 401 unauthenticated when there is no token', () => {
    const guard = new JwtAuthGuard(authenticator);
    const contextOf = (request: object) => ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;
    const request: { headers: Record<string, string>; user?: unknown } = { headers: { authorization: `Bearer ${access()}` } };
    expect(guard.canActivate(contextOf(request))).toBe(true);
    expect(request.user).toEqual({ userId: 'u1', sessionId: 's1', accountId: 'a1', role: 'engineer' });
    expect(() => guard.canActivate(contextOf({ headers: {} }))).toThrow(ProblemException);
  });
});
