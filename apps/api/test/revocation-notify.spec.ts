import { Client, Notification } from 'pg';
import { ACCOUNT_REVOKED_CHANNEL, accountRevocationPayload } from '../src/sessions/account-revocation';
import { SESSION_REVOKED_CHANNEL, SessionRevocations, parseRevokedIds } from '../src/sessions/session-revocations.service';
import type { SessionsRepository } from '../src/sessions/sessions.repository';
import { TestClock } from './support/test-clock';
import { createTestDatabase, testConfig } from './test-app';

/**
 * The triggers on `sessions` (migration 1765300000000, ADR 0028) tell every replica which
 * sessions one statement ended: each newly ended id once, in payloads of at most 200 ids;
 * nothing for an UPDATE that ends nothing (the refresh rotation), never a session that was
 * already ended before the statement, and no ids for a statement that sends its own
 * account-wide rule (`sessions.revocation_notify = 'account'`), which every replica's cache
 * then applies.
 */
describe('session_revoked notifications from the sessions trigger', () => {
  let writer: Client;
  let listener: Client;
  const payloads: string[] = [];
  let accountId: string;
  let userIds: string[];
  let ownerUrl: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    ownerUrl = database.ownerUrl;
    writer = new Client({ connectionString: database.ownerUrl });
    listener = new Client({ connectionString: database.ownerUrl });
    await Promise.all([writer.connect(), listener.connect()]);
    listener.on('notification', (message: Notification) => {
      if (message.channel === SESSION_REVOKED_CHANNEL) payloads.push(message.payload ?? '');
    });
    await listener.query(`LISTEN ${SESSION_REVOKED_CHANNEL}`);
    accountId = (await writer.query<{ id: string }>(`INSERT INTO accounts (name) VALUES ('Notify') RETURNING id`)).rows[0].id;
    const users = await writer.query<{ id: string }>(
      `INSERT INTO users (account_id, email, name, role, password_hash, is_active)
       SELECT $1, 'notify-' || g || '@example.test', 'N', 'engineer', '!', true FROM generate_series(1, 3) g RETURNING id`,
      [accountId],
    );
    userIds = users.rows.map((row) => row.id);
  });

  afterAll(async () => {
    await Promise.all([writer?.end(), listener?.end()]);
  });

  async function sessionsOf(userId: string, count: number): Promise<string[]> {
    const { rows } = await writer.query<{ id: string }>(
      `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds, created_at, last_used_at)
       SELECT $1, $2, now(), 3600, 86400, now(), now() FROM generate_series(1, $3::int) RETURNING id`,
      [accountId, userId, count],
    );
    return rows.map((row) => row.id);
  }

  /** The payloads `statement` caused: a marker sent after it arrives after them (commit order). */
  async function notifiedBy(statement: () => Promise<unknown>): Promise<string[]> {
    payloads.length = 0;
    await statement();
    const marker = `marker-${Math.random()}`;
    await writer.query('SELECT pg_notify($1, $2)', [SESSION_REVOKED_CHANNEL, marker]);
    for (let attempt = 0; attempt < 200 && !payloads.includes(marker); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(payloads).toContain(marker);
    return payloads.filter((payload) => payload !== marker);
  }

  it('one statement ending 450 live sessions notifies each once, at most 200 per payload', async () => {
    const ids = await sessionsOf(userIds[0], 450);
    const sent = await notifiedBy(() =>
      writer.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'bulk_revoked' WHERE user_id = $1 AND revoked_at IS NULL`, [
        userIds[0],
      ]),
    );
    const heard = sent.flatMap(parseRevokedIds);
    expect(sent.length).toBe(3);
    expect(Math.max(...sent.map((payload) => parseRevokedIds(payload).length))).toBeLessThanOrEqual(200);
    expect(heard.sort()).toEqual([...ids].sort());
  });

  it('an UPDATE that ends nothing (the rotation stamping live sessions) notifies nothing', async () => {
    await sessionsOf(userIds[1], 5);
    const sent = await notifiedBy(() => writer.query(`UPDATE sessions SET last_used_at = now() WHERE user_id = $1`, [userIds[1]]));
    expect(sent).toEqual([]);
  });

  it('a statement over ended and live rows notifies only the sessions it ended', async () => {
    const ended = await sessionsOf(userIds[2], 4);
    await writer.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'logout' WHERE id = ANY($1::uuid[])`, [ended]);
    const live = await sessionsOf(userIds[2], 3);
    const sent = await notifiedBy(() =>
      writer.query(
        `UPDATE sessions SET revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, 'user_deactivated')
          WHERE user_id = $1`,
        [userIds[2]],
      ),
    );
    expect(sent.flatMap(parseRevokedIds).sort()).toEqual([...live].sort());
  });

  it('a rolled-back revocation notifies nobody', async () => {
    await sessionsOf(userIds[1], 2);
    const sent = await notifiedBy(async () => {
      await writer.query('BEGIN');
      await writer.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'logout' WHERE user_id = $1 AND revoked_at IS NULL`, [
        userIds[1],
      ]);
      await writer.query('ROLLBACK');
    });
    expect(sent).toEqual([]);
  });

  it('a statement that sends its own account rule notifies no ids; the next statement of its transaction does', async () => {
    const bulk = await sessionsOf(userIds[0], 300);
    const single = await sessionsOf(userIds[1], 1);
    const sent = await notifiedBy(async () => {
      await writer.query('BEGIN');
      await writer.query(`SELECT set_config('sessions.revocation_notify', 'account', true)`);
      await writer.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'bulk_revoked' WHERE id = ANY($1::uuid[])`, [bulk]);
      await writer.query(`SELECT set_config('sessions.revocation_notify', '', true)`);
      await writer.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'logout' WHERE id = $1`, [single[0]]);
      await writer.query('COMMIT');
    });
    expect(sent).toEqual([single[0]]);
  });

  it('an account rule from another replica is applied by this replica’s cache: that account, before its second, not the excepted user', async () => {
    const clock = new TestClock();
    const none = { endedSince: async () => [] } as unknown as SessionsRepository;
    const cache = new SessionRevocations(testConfig(ownerUrl), none, clock);
    await cache.onModuleInit();
    try {
      const issuedBefore = clock.nowSeconds();
      const token = (userId: string, issuedAt: number, account = accountId) => ({ sessionId: 'x', accountId: account, userId, issuedAt });
      await writer.query('SELECT pg_notify($1, $2)', [
        ACCOUNT_REVOKED_CHANNEL,
        accountRevocationPayload({ accountId, issuedBefore, exceptUserId: userIds[0] }),
      ]);
      for (let attempt = 0; attempt < 200 && !cache.isTokenRevoked(token(userIds[1], issuedBefore - 1)); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(cache.isTokenRevoked(token(userIds[1], issuedBefore - 1))).toBe(true);
      expect(cache.isTokenRevoked(token(userIds[1], issuedBefore))).toBe(false);
      expect(cache.isTokenRevoked(token(userIds[0], issuedBefore - 1))).toBe(false);
      expect(cache.isTokenRevoked(token(userIds[1], issuedBefore - 1, '00000000-0000-4000-8000-000000000000'))).toBe(false);
      // A repeated revoke replaces the rule it covers (one per excepted user), still refusing the same tokens.
      cache.markAccountRevoked({ accountId, issuedBefore: issuedBefore + 1, exceptUserId: userIds[0] });
      expect(cache.isTokenRevoked(token(userIds[1], issuedBefore))).toBe(true);
      expect(cache.isTokenRevoked(token(userIds[0], issuedBefore))).toBe(false);
      // Kept as long as such a token can live (TTL + a minute of clock skew), then forgotten.
      clock.advance(testConfig(ownerUrl).accessTokenTtlSeconds + 61);
      expect(cache.isTokenRevoked(token(userIds[1], issuedBefore - 1))).toBe(false);
    } finally {
      await cache.onApplicationShutdown();
    }
  });
});
