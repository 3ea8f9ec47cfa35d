import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Role } from '../src/common/auth/roles';

/** One signed-in device as a sign-in leaves it: a live session and its first, unused refresh token. */
export interface BenchSession {
  sessionId: string;
  userId: string;
  accountId: string;
  role: Role;
  /** The `jti` of the current refresh token (the database keeps only its SHA-256). */
  jti: string;
}

export interface SeedPolicy {
  /** Whole seconds: the `auth_time` of the sessions and the `issued_at` of their first token. */
  authTimeSeconds: number;
  idleMaxSeconds: number;
  absMaxSeconds: number;
}

const USERS_PER_ACCOUNT = 50;
const CHUNK = 5000;

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Inserts `count` sessions (one user each, 50 users per account, no policy override)
 * with set-based SQL — what `count` sign-ins would leave behind, minus the argon2
 * verifications that make sign-ins slow on purpose. `label` keeps e-mails unique
 * between calls.
 */
export async function seedSessions(db: DataSource, count: number, label: string, policy: SeedPolicy): Promise<BenchSession[]> {
  const role: Role = 'engineer';
  const sessions: BenchSession[] = [];
  let accountId = '';
  for (let i = 0; i < count; i++) {
    if (i % USERS_PER_ACCOUNT === 0) accountId = randomUUID();
    sessions.push({ sessionId: randomUUID(), userId: randomUUID(), accountId, role, jti: randomUUID() });
  }
  const at = new Date(policy.authTimeSeconds * 1000);
  await db.transaction(async (manager) => {
    for (let start = 0; start < count; start += CHUNK) {
      const chunk = sessions.slice(start, start + CHUNK);
      const accounts = [...new Set(chunk.map((s) => s.accountId))];
      await manager.query(
        `INSERT INTO accounts (id, name) SELECT id, 'Bench ' || left(id::text, 8) FROM unnest($1::uuid[]) AS a(id) ON CONFLICT (id) DO NOTHING`,
        [accounts],
      );
      await manager.query(
        `INSERT INTO users (id, account_id, email, name, role, password_hash, is_active)
         SELECT u.id, u.account_id, 'bench-' || $3 || '-' || u.id || '@bench.test', 'Bench user', $4, '!no-password', true
           FROM unnest($1::uuid[], $2::uuid[]) AS u(id, account_id)`,
        [chunk.map((s) => s.userId), chunk.map((s) => s.accountId), label, role],
      );
      await manager.query(
        `INSERT INTO sessions (id, account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, user_agent, ip, created_at, last_used_at)
         SELECT s.id, s.account_id, s.user_id, $4, $5, $6, 'sessions-bench', '127.0.0.1', $4, $4
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS s(id, account_id, user_id)`,
        [
          chunk.map((s) => s.sessionId),
          chunk.map((s) => s.accountId),
          chunk.map((s) => s.userId),
          at,
          policy.idleMaxSeconds,
          policy.absMaxSeconds,
        ],
      );
      await manager.query(
        `INSERT INTO refresh_tokens (session_id, account_id, jti_hash, issued_at)
         SELECT t.session_id, t.account_id, decode(t.jti_hash, 'hex'), $4
           FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(session_id, account_id, jti_hash)`,
        [chunk.map((s) => s.sessionId), chunk.map((s) => s.accountId), chunk.map((s) => sha256(s.jti).toString('hex')), at],
      );
    }
  });
  return sessions;
}
