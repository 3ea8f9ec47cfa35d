import { BoundedClient } from '../src/database/bounded-client';
import { addMember, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 11: what one password sign-in sends to PostgreSQL (the limiter's counters in
 * PostgreSQL, the default). Each statement is a round trip the event loop and PostgreSQL
 * pay for; the limiter's went side by side on three pooled connections before.
 */
describe('statements per password sign-in (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const recorded = async (work: () => Promise<unknown>) => {
    // Calls through to the real query: only records what was sent.
    const spy = jest.spyOn(BoundedClient.prototype, 'query');
    let calls: unknown[][] = [];
    let clients: unknown[] = [];
    try {
      await work();
    } finally {
      calls = [...spy.mock.calls];
      clients = [...spy.mock.contexts];
      spy.mockRestore();
    }
    return calls.map(([first], i) => ({
      client: clients[i],
      sql: (typeof first === 'string' ? first : ((first as { text?: string }).text ?? '')).replace(/\s+/g, ' ').trim(),
      name: typeof first === 'string' ? undefined : (first as { name?: string }).name,
    }));
  };

  it('a clean sign-in: 2 limiter takes, the user with its account flag, 2 limiter settles, then one transaction of 3 statements (10 round trips, were 14, then 12); the sign-in statements are named (planned once per connection)', async () => {
    const owner = await signupOwner(t);
    const statements = await recorded(async () => {
      const response = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password });
      expect(response.status).toBe(200);
    });
    const kind = ({ sql, name }: { sql: string; name: string | undefined }) =>
      /rate_limits/.test(sql)
        ? `limiter ${sql.split(' ')[0]}`
        : /^(START TRANSACTION|BEGIN|COMMIT)/.test(sql)
          ? sql
          : /INSERT INTO "?audit_events"?/.test(sql)
            ? 'audit'
            : (name ?? `unnamed: ${sql.slice(0, 40)}`);
    // The named statements run on the transaction's own connection, between its BEGIN and COMMIT.
    const begin = statements.findIndex(({ sql }) => sql === 'START TRANSACTION');
    const inTransaction = statements.slice(begin, begin + 5);
    expect(inTransaction[0].client).toBeInstanceOf(BoundedClient);
    expect(new Set(inTransaction.map(({ client }) => client)).size).toBe(1);
    expect(statements.map(kind)).toEqual([
      'limiter INSERT',
      'limiter INSERT',
      'users_sign_in',
      'limiter DELETE',
      'limiter INSERT',
      'START TRANSACTION',
      'users_sign_in_stamp',
      'sessions_sign_in',
      'audit',
      'COMMIT',
    ]);
  });

  it('a member of an account that requires external sign-in: the same user statement carries the flag (no second read), refused with sso_required after the password proved right', async () => {
    const owner = await signupOwner(t);
    const member = await addMember(t, owner, 'engineer');
    await t.db.query('UPDATE accounts SET require_external_sign_in = true WHERE id = $1', [owner.accountId]);
    const statements = await recorded(async () => {
      const response = await t.post('/api/auth/login/json', { email: member.email, password: member.password });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('sso_required');
    });
    expect(statements.filter(({ sql }) => /FROM "?accounts"?/.test(sql) && !/users/.test(sql))).toEqual([]);
  });

  it('the session and its first refresh token are written together and rotate as before', async () => {
    const owner = await signupOwner(t);
    const tokens = (await t.post('/api/auth/login/json', { email: owner.email, password: owner.password })).body;
    // Signed up and in within one second: the second session's created_at is a microsecond after
    // the first's (creation order kept), still inside its sign-in second; its last use is the
    // sign-in itself, so its idle deadline is exactly the token's.
    const [row] = await t.db.query(
      `SELECT s.last_used_at = s.auth_time AND s.created_at >= s.auth_time AND s.created_at < s.auth_time + interval '1 second' AS stamped, s.revoked_at, t.used_at, t.issued_at = s.auth_time AS issued
         FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id WHERE s.user_id = $1 AND s.auth_time IS NOT NULL
        ORDER BY s.created_at DESC LIMIT 1`,
      [owner.id],
    );
    expect(row).toEqual({ stamped: true, revoked_at: null, used_at: null, issued: true });
    expect((await t.post('/api/auth/refresh', { refresh_token: tokens.refresh_token })).status).toBe(200);
  });
});
