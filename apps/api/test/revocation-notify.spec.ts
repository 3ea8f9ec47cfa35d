import { Client, Notification } from 'pg';
import { SESSION_REVOKED_CHANNEL, parseRevokedIds } from '../src/sessions/session-revocations.service';
import { createTestDatabase } from './test-app';

/**
 * The statement trigger on `sessions` (migrations 1764900000000 and 1765100000000) tells
 * every replica which sessions one statement ended: each newly ended id once, in payloads of
 * at most 200 ids; nothing for an UPDATE that ends nothing (the refresh rotation), and never
 * a session that was already ended before the statement.
 */
describe('session_revoked notifications from the sessions trigger', () => {
  let writer: Client;
  let listener: Client;
  const payloads: string[] = [];
  let accountId: string;
  let userIds: string[];

  beforeAll(async () => {
    const database = await createTestDatabase();
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
});
