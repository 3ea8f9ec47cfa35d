import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BASE_URL, DATA_DIR } from './server';

/** Test setup talks to the API directly (no browser), like a script or another device would. */

export interface DemoUser {
  email: string;
  password: string;
  role: 'owner' | 'admin' | 'engineer';
  name: string;
}

export interface Account {
  email: string;
  password: string;
  name: string;
  accessToken: string;
}

export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** The demo account's users, whose passwords the API wrote on first start. */
export function demoUser(role: DemoUser['role']): DemoUser {
  const users = JSON.parse(readFileSync(join(DATA_DIR, 'demo-users.json'), 'utf8')) as DemoUser[];
  const user = users.find((u) => u.role === role);
  if (!user) {
    throw new Error(`no demo ${role} in ${DATA_DIR}/demo-users.json`);
  }
  return user;
}

async function call<T>(method: string, path: string, body?: unknown, init: { token?: string; userAgent?: string } = {}): Promise<T> {
  const response = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.userAgent ? { 'user-agent': init.userAgent } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A new account of its own, so a test can change its policy without touching others. */
export async function signUp(label: string): Promise<Account> {
  const id = randomUUID().slice(0, 8);
  const account = { email: `${label}-${id}@example.test`, password: `pw-${randomUUID()}`, name: 'Pat Owner' };
  const tokens = await call<{ access_token: string }>('POST', '/api/auth/signup', {
    account_name: `E2E ${label} ${id}`,
    name: account.name,
    email: account.email,
    password: account.password,
  });
  return { ...account, accessToken: tokens.access_token };
}

/** Signs in from "another device" and returns its access token. */
export async function signInElsewhere(email: string, password: string, userAgent = IPHONE_UA): Promise<string> {
  const tokens = await call<{ access_token: string }>('POST', '/api/auth/login/json', { email, password }, { userAgent });
  return tokens.access_token;
}

export async function setPolicy(token: string, idleMinutes: number | null, absoluteMinutes: number | null): Promise<void> {
  await call('PATCH', '/api/accounts/me/security', { idle_minutes: idleMinutes, absolute_minutes: absoluteMinutes }, { token });
}

export async function sessionCount(token: string): Promise<number> {
  return (await call<unknown[]>('GET', '/api/me/sessions', undefined, { token })).length;
}

/** A member's live sessions as their account's owner sees them (`GET /api/accounts/me/members/{id}/sessions`). */
export async function memberSessionCount(ownerToken: string, memberId: string): Promise<number> {
  return (await call<unknown[]>('GET', `/api/accounts/me/members/${memberId}/sessions`, undefined, { token: ownerToken })).length;
}

/** "Sign out all other devices" from another device, as the user would do from their phone. */
export async function revokeOtherSessions(token: string): Promise<number> {
  return (await call<{ revoked_count: number }>('POST', '/api/me/sessions/revoke-others', undefined, { token })).revoked_count;
}

export interface Member {
  id: string;
  email: string;
  password: string;
  name: string;
}

/** The owner adds a member (an engineer unless told otherwise) to their account. */
export async function addMember(ownerToken: string, name = 'Sam Member', role: DemoUser['role'] = 'engineer'): Promise<Member> {
  const id = randomUUID().slice(0, 8);
  const member = { email: `member-${id}@example.test`, password: `pw-${randomUUID()}`, name };
  const created = await call<{ id: string }>('POST', '/api/accounts/me/members', { ...member, role }, { token: ownerToken });
  return { ...member, id: created.id };
}

/** The owner's bulk sign-out, as a script would call it. */
export async function revokeAccountSessions(ownerToken: string, scope: 'all' | 'others'): Promise<number> {
  return (await call<{ revoked_count: number }>('POST', '/api/accounts/me/security/revoke-sessions', { scope }, { token: ownerToken }))
    .revoked_count;
}

/** Changes the password from "another device"; the user's other sessions end. */
export async function changePassword(token: string, currentPassword: string, newPassword: string): Promise<void> {
  await call('POST', '/api/auth/password', { current_password: currentPassword, new_password: newPassword }, { token });
}

/** `count` sign-ins of the user: each one is an `auth.login_succeeded` event in the audit log. */
export async function signInTimes(email: string, password: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await signInElsewhere(email, password);
  }
}
