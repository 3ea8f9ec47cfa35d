import { BoundedClient } from '../src/database/bounded-client';
import { signupOwner } from './builders';
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
    try {
      await work();
    } finally {
      calls = [...spy.mock.calls];
      spy.mockRestore();
    }
    const statements = calls.map(([first]) =>
      (typeof first === 'string' ? first : ((first as { text?: string }).text ?? '')).replace(/\s+/g, ' ').trim(),
    );
    return statements;
  };

  it('a clean sign-in: 2 limiter takes, the user, 2 limiter settles, then one transaction of 5 statements (policy, role override and cap in one read; 12 round trips, were 14)', async () => {
    const owner = await signupOwner(t);
    const statements = await recorded(async () => {
      const response = await t.post('/api/auth/login/json', { email: owner.email, password: owner.password });
      expect(response.status).toBe(200);
    });
    const kinds = statements.map((sql) =>
      /rate_limits/.test(sql)
        ? `limiter ${sql.split(' ')[0]}`
        : /^(START TRANSACTION|BEGIN|COMMIT)/.test(sql)
          ? sql
          : /^SELECT .* FROM "users"/.test(sql)
            ? 'user'
            : /^UPDATE users/.test(sql)
              ? 'stamp last_login_at'
              : /^UPDATE sessions/.test(sql)
                ? 'end beyond the cap'
                : /FROM "?accounts"?\b/.test(sql)
                  ? 'policy'
                  : /^WITH s AS \( INSERT INTO sessions/.test(sql)
                    ? 'session + refresh token'
                    : /INSERT INTO "audit_events"/.test(sql)
                      ? 'audit'
                      : sql.slice(0, 40),
    );
    expect(kinds).toEqual([
      'limiter INSERT',
      'limiter INSERT',
      'user',
      'limiter DELETE',
      'limiter INSERT',
      'START TRANSACTION',
      'policy',
      'stamp last_login_at',
      'end beyond the cap',
      'session + refresh token',
      'audit',
      'COMMIT',
    ]);
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
