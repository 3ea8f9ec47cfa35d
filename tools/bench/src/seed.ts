import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Role } from '../../../apps/api/src/common/auth/roles';

/** One signed-in device as a sign-in leaves it: a live session and its first, unused refresh token. */
export interface BenchSession {
  sessionId: string;
  userId: string;
  accountId: string;
  role: Role;
  /** The `jti` of the current refresh token (the database keeps only its SHA-256, or `storedHash`). */
  jti: string;
}

export interface SeedPolicy {
  /** Whole seconds: the `auth_time` of the sessions and the `issued_at` of their first token. */
  authTimeSeconds: number;
  idleMaxSeconds: number;
  absMaxSeconds: number;
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export interface SeedSpec {
  count: number;
  /** Keeps e-mails unique between calls. */
  label: string;
  policy: SeedPolicy;
  /** Users per account (one session each); 50 by default. */
  usersPerAccount?: number;
  role?: Role;
  /** An argon2 hash for the users (sign-in scenarios); none by default. */
  passwordHash?: string;
  /** What the refresh token row stores for session i: SHA-256 of the jti by default. */
  storedHash?: (session: BenchSession, index: number) => Buffer;
}

const CHUNK = 5000;

/**
 * Inserts `count` sessions (one user each, no policy override) with set-based SQL — what
 * `count` sign-ins would leave behind, minus the argon2 verifications that make sign-ins slow
 * on purpose.
 */
export async function seedSessions(db: Pool, spec: SeedSpec): Promise<BenchSession[]> {
  const role: Role = spec.role ?? 'engineer';
  const perAccount = spec.usersPerAccount ?? 50;
  const sessions: BenchSession[] = [];
  let accountId = '';
  for (let i = 0; i < spec.count; i++) {
    if (i % perAccount === 0) accountId = randomUUID();
    sessions.push({ sessionId: randomUUID(), userId: randomUUID(), accountId, role, jti: randomUUID() });
  }
  const at = new Date(spec.policy.authTimeSeconds * 1000);
  const stored = spec.storedHash ?? ((s: BenchSession) => sha256(s.jti));
  for (let start = 0; start < spec.count; start += CHUNK) {
    const chunk = sessions.slice(start, start + CHUNK);
    const accounts = [...new Set(chunk.map((s) => s.accountId))];
    await db.query(
      `INSERT INTO accounts (id, name) SELECT id, 'Bench ' || left(id::text, 8) FROM unnest($1::uuid[]) AS a(id) ON CONFLICT (id) DO NOTHING`,
      [accounts],
    );
    await db.query(
      `INSERT INTO users (id, account_id, email, name, role, password_hash, is_active)
       SELECT u.id, u.account_id, 'bench-' || $3 || '-' || u.id || '@bench.test', 'Bench user', $4, $5, true
         FROM unnest($1::uuid[], $2::uuid[]) AS u(id, account_id)`,
      [chunk.map((s) => s.userId), chunk.map((s) => s.accountId), spec.label, role, spec.passwordHash ?? '!no-password'],
    );
    await db.query(
      `INSERT INTO sessions (id, account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at)
       SELECT s.id, s.account_id, s.user_id, $4, $5, $6, 'sessions-bench', '127.0.0.1', $4, $4
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS s(id, account_id, user_id)`,
      [
        chunk.map((s) => s.sessionId),
        chunk.map((s) => s.accountId),
        chunk.map((s) => s.userId),
        at,
        spec.policy.idleMaxSeconds,
        spec.policy.absMaxSeconds,
      ],
    );
    await db.query(
      `INSERT INTO refresh_tokens (session_id, account_id, jti_hash, issued_at)
       SELECT t.session_id, t.account_id, t.jti_hash, $4
         FROM unnest($1::uuid[], $2::uuid[], $3::bytea[]) AS t(session_id, account_id, jti_hash)`,
      [chunk.map((s) => s.sessionId), chunk.map((s) => s.accountId), chunk.map((s, i) => stored(s, start + i)), at],
    );
  }
  return sessions;
}

/** The browser and address of a seeded session. */
export interface SeedClient {
  userAgent: string;
  ip: string;
}

/**
 * A user's devices as the device list meets them: a few real browsers on public addresses
 * that the geo-IP database knows (IPv4 and IPv6), so each row costs what a real one costs
 * (user-agent parsing, a walk of the DB-IP tree) instead of the loopback shortcut.
 */
export const REAL_CLIENTS: readonly SeedClient[] = [
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36', '8.8.8.8'],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    '17.0.0.1',
  ],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0', '81.2.69.160'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36', '1.1.1.1'],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68',
    '2620:149:af0::10',
  ],
  [
    'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    '2001:67c:2e8:22::c100:68b',
  ],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0', '9.9.9.9'],
].map(([userAgent, ip]) => ({ userAgent, ip }));

/**
 * `count` more live sessions of one existing user, straight in SQL (no refresh tokens: they
 * are listed and revoked, never refreshed), last used at spread times so the list has an
 * order. The API's session cap (SESSION_MAX_PER_USER) normally prevents a user from ever
 * holding more than the cap: this is how the bench makes the case the cap exists for.
 * Session g gets `clients[g % clients.length]` (by default one bench client on loopback).
 */
export async function addSessions(
  db: Pool,
  owner: { accountId: string; userId: string },
  count: number,
  policy: SeedPolicy,
  clients: readonly SeedClient[] = [{ userAgent: 'sessions-bench', ip: '127.0.0.1' }],
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at)
     SELECT $1, $2, $4::timestamptz - interval '2 hours', $5, $6, ($7::text[])[1 + g % cardinality($7::text[])],
            ($8::text[])[1 + g % cardinality($8::text[])], $4::timestamptz - interval '2 hours',
            $4::timestamptz - make_interval(secs => g % 3600)
       FROM generate_series(1, $3::int) AS g`,
    [
      owner.accountId,
      owner.userId,
      count,
      new Date(policy.authTimeSeconds * 1000),
      policy.idleMaxSeconds,
      policy.absMaxSeconds,
      clients.map((c) => c.userAgent),
      clients.map((c) => c.ip),
    ],
  );
}
