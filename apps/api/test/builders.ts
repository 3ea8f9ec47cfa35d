import { createSigner } from 'fast-jwt';
import { randomBytes } from 'node:crypto';
import type { Role } from '../src/common/auth/roles';
import type { RequestOptions, TestApp } from './test-app';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  idle_expires_at: string;
  absolute_expires_at: string;
}

export interface SignedInUser {
  id: string;
  accountId: string;
  email: string;
  password: string;
  role: Role;
  tokens: Tokens;
}

const unique = () => randomBytes(5).toString('hex');

export function decodeJwt<T = Record<string, any>>(token: string): T {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as T;
}

/** An HS256 JWT of exactly these claims (no `iat` added unless given), signed with `secret`. */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  return createSigner({ key: secret, algorithm: 'HS256', noTimestamp: !('iat' in claims) })(claims);
}

/** Signs up a new account; its owner is returned signed in. */
export async function signupOwner(
  t: TestApp,
  overrides: Partial<{ email: string; password: string; account_name: string; name: string }> = {},
  options: RequestOptions = {},
): Promise<SignedInUser> {
  const body = {
    account_name: `Account ${unique()}`,
    name: 'Owner',
    email: `owner-${unique()}@example.test`,
    password: 'owner-password-1',
    ...overrides,
  };
  const response = await t.post<Tokens>('/api/auth/signup', body, options);
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  const claims = decodeJwt(response.body.access_token);
  return { id: claims['sub'], accountId: claims['acc'], email: body.email, password: body.password, role: 'owner', tokens: response.body };
}

/** Adds a member to the owner's account and signs them in. */
export async function addMember(t: TestApp, owner: SignedInUser, role: Role, options: RequestOptions = {}): Promise<SignedInUser> {
  const email = `${role}-${unique()}@example.test`;
  const password = `${role}-password-1`;
  const created = await t.post(
    '/api/accounts/me/members',
    { name: `A ${role}`, email, role, password },
    { token: owner.tokens.access_token },
  );
  if (created.status !== 201) throw new Error(`add member failed: ${created.status} ${JSON.stringify(created.body)}`);
  const tokens = await login(t, email, password, options);
  return { id: created.body.id, accountId: owner.accountId, email, password, role, tokens };
}

export async function login(t: TestApp, email: string, password: string, options: RequestOptions = {}): Promise<Tokens> {
  const response = await t.post<Tokens>('/api/auth/login/json', { email, password }, options);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function refresh(t: TestApp, refreshToken: string, options: RequestOptions = {}) {
  return t.post<Tokens & { code?: string }>('/api/auth/refresh', { refresh_token: refreshToken }, options);
}
