import { JwtService } from '@nestjs/jwt';
import { createHmac, createSecretKey } from 'node:crypto';
import { signHs256, verifyHs256 } from './hs256';

const secret = 'a'.repeat(64);
const key = createSecretKey(Buffer.from(secret, 'utf8'));
const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
const claims = { sub: 'u1', sid: 's1', typ: 'refresh', iat: 1_700_000_000, exp: 1_700_001_800 };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signed = (header: unknown, payload: unknown, hmacSecret = secret) => {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', hmacSecret).update(body).digest('base64url')}`;
};

describe('HS256 on node:crypto', () => {
  it('makes exactly the tokens jsonwebtoken makes, and each verifies the other', () => {
    const ours = signHs256(claims, key);
    expect(ours).toBe(jwt.sign(claims));
    expect(jwt.verify(ours, { ignoreExpiration: true })).toEqual(claims);
    expect(verifyHs256(jwt.sign(claims), key, 0)).toEqual(claims);
  });

  it.each([
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['alg none with a signature', signed({ alg: 'none' }, claims)],
    ['HS512', signed({ alg: 'HS512', typ: 'JWT' }, claims)],
    ['RS256 header', signed({ alg: 'RS256', typ: 'JWT' }, claims)],
    ['another typ', signed({ alg: 'HS256', typ: 'JWE' }, claims)],
    ['another key', signed({ alg: 'HS256', typ: 'JWT' }, claims, 'b'.repeat(64))],
    [
      'a tampered payload',
      `${signHs256(claims, key).split('.')[0]}.${b64({ ...claims, sub: 'u2' })}.${signHs256(claims, key).split('.')[2]}`,
    ],
    ['a truncated signature', signHs256(claims, key).slice(0, -2)],
    ['four parts', `${signHs256(claims, key)}.x`],
    ['a non-object payload', signed({ alg: 'HS256', typ: 'JWT' }, [1, 2])],
    ['a not-yet-valid token', signed({ alg: 'HS256', typ: 'JWT' }, { ...claims, nbf: 2_000_000_000 })],
    ['garbage', 'not a token'],
    ['padding characters', `${signHs256(claims, key)}=`],
  ])('refuses %s', (_name, token) => {
    expect(verifyHs256(token, key, 1_700_000_100)).toBeNull();
  });

  it('accepts a header without typ, as jsonwebtoken does', () => {
    expect(verifyHs256(signed({ alg: 'HS256' }, claims), key, 0)).toEqual(claims);
  });
});
