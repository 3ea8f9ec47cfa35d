import {
  classifyExpiry,
  computeDeadlines,
  resolvePolicy,
  snapshotPolicy,
  tightenForRole,
  tightenSnapshot,
  validatePolicy,
  validateRoleOverride,
  type PolicyBounds,
  type PolicyOverrides,
  type PolicySnapshot,
  type RoleOverride,
  POLICY_MINUTES_CEILING,
  SECONDS_PER_MINUTE,
} from '@sessions/session-policy';
import { boundsAndOverridesArb, overrideValueArb, snapshotArb } from '@sessions/session-policy/testing';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Role } from '../src/common/auth/roles';
import { absoluteDeadline, expiryReason, idleDeadline, liveSession, pastDeadline } from '../src/common/live-session.sql';
import { revokeReasonForExpiry } from '../src/sessions/session-end-reason';
import { ROTATE_SQL } from '../src/sessions/sessions.repository';
import { createTestDatabase } from './test-app';

/**
 * Property: the deadline rule in SQL is the library's. For generated operator bounds, account
 * policy, role override (of the user's role or another one), session snapshot, legacy tokens,
 * deactivated users and times around both deadlines, PostgreSQL running the real `ROTATE_SQL`
 * (the named statement the API prepares) and the live-session fragments (device list, active
 * users, step-up, the sweeper) answers what `@sessions/session-policy` says for the same inputs:
 * - rotated, with `tightenSnapshot(snapshot, tightenForRole(resolvePolicy(account), role))`
 *   (or `snapshotPolicy` for a legacy token) and `computeDeadlines` of it, or
 * - refused, with `classifyExpiry`'s reason (or `user_deactivated`), or
 * - no row at all for a revoked session or an already-used token.
 * One transaction per case, rolled back. `DEADLINE_RULE_RUNS` / `DEADLINE_RULE_SEED` replay.
 */
const RUNS = Number(process.env['DEADLINE_RULE_RUNS'] ?? 100);
const SEED = process.env['DEADLINE_RULE_SEED'] ? Number(process.env['DEADLINE_RULE_SEED']) : undefined;

const ROLES: readonly Role[] = ['owner', 'admin', 'engineer'];

interface Case {
  bounds: PolicyBounds;
  account: PolicyOverrides;
  /** The override row, if any, and the role it is for (maybe not the user's). */
  override: { role: Role; limits: RoleOverride } | null;
  role: Role;
  snapshot: PolicySnapshot;
  legacy: boolean;
  isActive: boolean;
  revoked: boolean;
  alreadyUsed: boolean;
  /** Unix seconds: the presented token's issue time, which is also the session's last use. */
  issuedAt: number;
  now: number;
}

/** Role overrides the API would save; often absolute-only, the case where idle is capped at it. */
const roleOverrideArb = (b: PolicyBounds): fc.Arbitrary<RoleOverride> =>
  fc.oneof(
    fc
      .record({
        idleMinutes: overrideValueArb(b.idleMinutesMin, b.idleMinutesMax),
        absoluteMinutes: overrideValueArb(b.absoluteMinutesMin, b.absoluteMinutesMax),
      })
      .filter((o) => validateRoleOverride(o, b).length === 0),
    fc
      .record({ idleMinutes: fc.constant(null), absoluteMinutes: overrideValueArb(b.absoluteMinutesMin, b.absoluteMinutesMax) })
      .filter((o) => validateRoleOverride(o, b).length === 0),
  );

/** Any snapshot, or one a sign-in took under these bounds (so it competes with the current limits). */
const sessionSnapshotArb = (b: PolicyBounds): fc.Arbitrary<PolicySnapshot> =>
  fc.oneof(
    snapshotArb,
    fc.record({
      authTime: snapshotArb.map((s) => s.authTime),
      idleMaxSeconds: fc.integer({ min: b.idleMinutesMin, max: b.idleMinutesMax }).map((m) => m * SECONDS_PER_MINUTE),
      absMaxSeconds: fc.integer({ min: b.absoluteMinutesMin, max: b.absoluteMinutesMax }).map((m) => m * SECONDS_PER_MINUTE),
    }),
  );

/** What the library says the rotation tightens the session to. */
function tightened(c: Case): PolicySnapshot {
  const roleLimits = c.override?.role === c.role ? c.override.limits : null;
  const policy = tightenForRole(resolvePolicy(c.account, c.bounds), roleLimits);
  return c.legacy ? snapshotPolicy(c.snapshot.authTime, policy) : tightenSnapshot(c.snapshot, policy);
}

/**
 * Everything but `now`, then `now` drawn around the deadlines that matter (the stored
 * snapshot's and the tightened one's, each at, just before and just after) or anywhere.
 */
const caseArb: fc.Arbitrary<Case> = boundsAndOverridesArb
  .filter(({ b, o }) => validatePolicy(o, b).length === 0)
  .chain(({ b, o }) =>
    fc.record({
      bounds: fc.constant(b),
      account: fc.constant(o),
      role: fc.constantFrom(...ROLES),
      // Mostly for the user's role; sometimes for another role, which must not apply.
      override: fc.option(fc.record({ mine: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), limits: roleOverrideArb(b) }), { freq: 4 }),
      otherRole: fc.constantFrom(...ROLES),
      snapshot: sessionSnapshotArb(b),
      legacy: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      isActive: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      revoked: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
      alreadyUsed: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
      // How far into its absolute lifetime the presented token was issued (past it, now and then).
      progress: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1.1, noNaN: true })),
    }),
  )
  .map(({ override, otherRole, ...rest }) => ({
    ...rest,
    override: override && { role: override.mine ? rest.role : otherRole, limits: override.limits },
  }))
  .chain(({ progress, ...rest }) => {
    const issuedAt = rest.snapshot.authTime + Math.floor(progress * rest.snapshot.absMaxSeconds);
    const partial = { ...rest, issuedAt, now: 0 };
    const t = tightened(partial);
    const edges = [
      t.authTime + t.absMaxSeconds,
      issuedAt + t.idleMaxSeconds,
      rest.snapshot.authTime + rest.snapshot.absMaxSeconds,
      issuedAt + rest.snapshot.idleMaxSeconds,
    ].flatMap((edge) => [edge - 1, edge, edge + 1]);
    const now = fc.oneof(
      { arbitrary: fc.constantFrom(...edges), weight: 3 },
      { arbitrary: fc.integer({ min: issuedAt, max: issuedAt + 100 * 86400 }), weight: 2 },
    );
    return now.filter((n) => n >= issuedAt).map((n) => ({ ...partial, now: n }));
  });

/** What the library expects. */
function expected(c: Case) {
  const storedExpiry = classifyExpiry(c.snapshot, c.issuedAt, c.now);
  // The device list, active users, step-up and the sweeper judge the stored snapshot.
  const before = {
    live: !c.revoked && storedExpiry === null,
    sweeps: !c.revoked && storedExpiry ? revokeReasonForExpiry(storedExpiry) : null,
  };
  if (c.revoked || c.alreadyUsed) return { before, rotation: null };
  const snapshot = tightened(c);
  const expiry = classifyExpiry(snapshot, c.issuedAt, c.now);
  const rotation =
    c.isActive && expiry === null
      ? { outcome: 'rotated' as const, snapshot, deadlines: computeDeadlines(snapshot, c.now), liveAfter: true }
      : { outcome: 'refused' as const, snapshot, reason: expiry ? revokeReasonForExpiry(expiry) : 'user_deactivated' };
  return { before, rotation };
}

const at = (unix: number) => new Date(unix * 1000);
const unix = (date: Date) => date.getTime() / 1000;

describe('the deadline rule: SQL equals @sessions/session-policy (property, real PostgreSQL)', () => {
  let db: Client;

  beforeAll(async () => {
    db = new Client({ connectionString: (await createTestDatabase()).apiUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
  });

  /** Seeds one case, runs the fragments and the rotation, reads what they did; always rolled back. */
  async function actual(c: Case) {
    await db.query('BEGIN');
    try {
      const [{ id: accountId }] = (
        await db.query<{ id: string }>(
          `INSERT INTO accounts (name, session_idle_minutes, session_absolute_minutes) VALUES ('Property', $1, $2) RETURNING id`,
          [c.account.idleMinutes, c.account.absoluteMinutes],
        )
      ).rows;
      const [{ id: userId }] = (
        await db.query<{ id: string }>(
          `INSERT INTO users (account_id, email, name, role, password_hash, is_active)
           VALUES ($1, $2, 'Property', $3, '!no-password', $4) RETURNING id`,
          [accountId, `p-${randomUUID()}@property.test`, c.role, c.isActive],
        )
      ).rows;
      if (c.override) {
        await db.query(
          `INSERT INTO role_policies (account_id, role, idle_minutes, absolute_minutes, updated_at) VALUES ($1, $2, $3, $4, now())`,
          [accountId, c.override.role, c.override.limits.idleMinutes, c.override.limits.absoluteMinutes],
        );
      }
      const [{ id: sessionId }] = (
        await db.query<{ id: string }>(
          `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, created_at, last_used_at, revoked_at, revoke_reason)
           VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $8) RETURNING id`,
          [
            accountId,
            userId,
            at(c.snapshot.authTime),
            c.snapshot.idleMaxSeconds,
            c.snapshot.absMaxSeconds,
            at(c.issuedAt),
            c.revoked ? at(c.issuedAt) : null,
            c.revoked ? 'logout' : null,
          ],
        )
      ).rows;
      const jti = randomBytes(32);
      await db.query(`INSERT INTO refresh_tokens (session_id, account_id, jti_hash, issued_at, used_at) VALUES ($1, $2, $3, $4, $5)`, [
        sessionId,
        accountId,
        jti,
        at(c.issuedAt),
        c.alreadyUsed ? at(c.issuedAt) : null,
      ]);

      const judge = async () =>
        (
          await db.query<{ live: boolean; past: boolean; reason: string }>(
            `SELECT ${liveSession('s', '$2')} AS live, ${pastDeadline('s', '$2')} AS past, ${expiryReason('s', '$2')} AS reason
               FROM sessions s WHERE s.id = $1`,
            [sessionId, at(c.now)],
          )
        ).rows[0];
      const seen = await judge();
      const before = { live: seen.live, sweeps: !c.revoked && seen.past ? seen.reason : null };

      const rows = (
        await db.query<{ rotated: boolean; idle_max_seconds: number; abs_max_seconds: number; is_active: boolean }>({
          name: ROTATE_SQL.name,
          text: ROTATE_SQL.text,
          values: [
            jti,
            randomBytes(32),
            at(c.now),
            c.legacy,
            c.bounds.idleMinutesDefault * SECONDS_PER_MINUTE,
            c.bounds.absoluteMinutesDefault * SECONDS_PER_MINUTE,
            'property',
            '127.0.0.1',
          ],
        })
      ).rows;
      const row = rows[0];
      if (!row) return { before, rotation: null };
      const snapshot: PolicySnapshot = {
        authTime: c.snapshot.authTime,
        idleMaxSeconds: Number(row.idle_max_seconds),
        absMaxSeconds: Number(row.abs_max_seconds),
      };
      if (!row.rotated) {
        // The reason, judged in SQL by the sweeper's fragment on what the rotation returned
        // (a deactivated user inside both deadlines is the one other refusal).
        const [judged] = (
          await db.query<{ past: boolean; reason: string }>(
            `SELECT ${pastDeadline('c', '$1')} AS past, ${expiryReason('c', '$1')} AS reason
               FROM (VALUES ($2::timestamptz, $3::timestamptz, $4::int, $5::int)) AS c(auth_time, last_used_at, idle_max_seconds, abs_max_seconds)`,
            [at(c.now), at(c.snapshot.authTime), at(c.issuedAt), snapshot.idleMaxSeconds, snapshot.absMaxSeconds],
          )
        ).rows;
        const untouched = await db.query(`SELECT 1 FROM sessions WHERE id = $1 AND last_used_at = $2`, [sessionId, at(c.issuedAt)]);
        expect(untouched.rowCount).toBe(1);
        return {
          before,
          rotation: {
            outcome: 'refused' as const,
            snapshot,
            reason: judged.past ? judged.reason : row.is_active ? 'none' : 'user_deactivated',
          },
        };
      }
      // Rotated: the row now carries the tightened snapshot and the activity; its deadlines in SQL.
      const [stored] = (
        await db.query<{ idle: number; abs: number; idle_at: Date; abs_at: Date }>(
          `SELECT s.idle_max_seconds AS idle, s.abs_max_seconds AS abs,
                  LEAST(${idleDeadline('s')}, ${absoluteDeadline('s')}) AS idle_at, ${absoluteDeadline('s')} AS abs_at
             FROM sessions s WHERE s.id = $1`,
          [sessionId],
        )
      ).rows;
      expect({ idle: Number(stored.idle), abs: Number(stored.abs) }).toEqual({
        idle: snapshot.idleMaxSeconds,
        abs: snapshot.absMaxSeconds,
      });
      const liveAfter = (await judge()).live;
      return {
        before,
        rotation: {
          outcome: 'rotated' as const,
          snapshot,
          deadlines: { idleExpiresAt: unix(stored.idle_at), absoluteExpiresAt: unix(stored.abs_at) },
          liveAfter,
        },
      };
    } finally {
      await db.query('ROLLBACK');
    }
  }

  // The config refuses bounds above the library's ceiling; the schema must store every value up to it, and no more.
  it.each([
    ['accounts', 'session_absolute_minutes'],
    ['accounts', 'session_idle_minutes'],
    ['role_policies', 'absolute_minutes'],
    ['role_policies', 'idle_minutes'],
  ])('%s.%s stores up to POLICY_MINUTES_CEILING and refuses more', async (table, column) => {
    const store = async (minutes: number) => {
      await db.query('BEGIN');
      try {
        const [{ id }] = (await db.query<{ id: string }>(`INSERT INTO accounts (name) VALUES ('Ceiling') RETURNING id`)).rows;
        if (table === 'accounts') await db.query(`UPDATE accounts SET ${column} = $2 WHERE id = $1`, [id, minutes]);
        else
          await db.query(`INSERT INTO role_policies (account_id, role, ${column}, updated_at) VALUES ($1, 'admin', $2, now())`, [
            id,
            minutes,
          ]);
        return 'stored';
      } catch (error) {
        return (error as { code?: string }).code;
      } finally {
        await db.query('ROLLBACK');
      }
    };
    expect(await store(POLICY_MINUTES_CEILING)).toBe('stored');
    expect(await store(POLICY_MINUTES_CEILING + 1)).toBe('23514'); // check_violation
  });

  it('rotation, tightening, refusal reasons and liveness agree with the library', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        expect(await actual(c)).toEqual(expected(c));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
