import { DataSource } from 'typeorm';
import { PreparedQueries } from '../src/database/prepared';
import { login, SignedInUser, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

const AUDIT = '/api/accounts/me/audit-events';

interface AuditItem {
  id: string;
  occurred_at: string;
  action: string;
  actor: { user_id: string; email: string | null } | null;
  resource_type: string;
  resource_id: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

interface AuditPage {
  items: AuditItem[];
  next_cursor: string | null;
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('audit events (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const list = (owner: SignedInUser, query: Record<string, string | number> = {}) => {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    return t.get<AuditPage>(search ? `${AUDIT}?${search}` : AUDIT, { token: owner.tokens.access_token });
  };

  /** Every page, following `next_cursor` until it is null. */
  const walk = async (owner: SignedInUser, query: Record<string, string | number>) => {
    const pages: AuditPage[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(owner, cursor ? { ...query, cursor } : query);
      expect(response.status).toBe(200);
      pages.push(response.body);
      cursor = response.body.next_cursor;
      expect(pages.length).toBeLessThan(50); // a cursor that never ends is a bug, not a long log
    } while (cursor);
    return pages;
  };

  const idsInAccount = async (accountId: string): Promise<string[]> =>
    (await t.db.query('SELECT id FROM audit_events WHERE account_id = $1 ORDER BY occurred_at DESC, id DESC', [accountId])).map(
      (row: { id: string }) => row.id,
    );

  const patchPolicy = (owner: SignedInUser, body: unknown) =>
    t.patch('/api/accounts/me/security', body, { token: owner.tokens.access_token, ip: '198.51.100.4', userAgent: 'audit-spec/1' });

  it("lists the caller's account's events, newest first, with their actor", async () => {
    const owner = await signupOwner(t);
    t.clock.advance(60);
    expect((await patchPolicy(owner, { idle_minutes: 60 })).status).toBe(200);

    const response = await list(owner);

    expect(response.status).toBe(200);
    expect(response.body.next_cursor).toBeNull();
    expect(response.body.items.map((i) => i.action)).toEqual(['account.session_policy_update', 'auth.login_succeeded']);
    expect(response.body.items[0]).toEqual({
      id: expect.any(String),
      occurred_at: t.clock.now().toISOString(),
      action: 'account.session_policy_update',
      actor: { user_id: owner.id, email: owner.email },
      resource_type: 'account',
      resource_id: owner.accountId,
      details: {
        old: { idle_minutes: null, absolute_minutes: null },
        new: { idle_minutes: 60, absolute_minutes: null },
        effective_old: { idle_minutes: 4320, absolute_minutes: 20160 },
        effective_new: { idle_minutes: 60, absolute_minutes: 20160 },
      },
      ip: '198.51.100.4',
      user_agent: 'audit-spec/1',
    });
    expect(response.body.items[1]).toMatchObject({ actor: { user_id: owner.id, email: owner.email }, details: { method: 'signup' } });
  });

  it("never shows another account's events nor another account's users", async () => {
    const owner = await signupOwner(t);
    const stranger = await signupOwner(t);
    await login(t, stranger.email, stranger.password);
    expect((await patchPolicy(stranger, { idle_minutes: 30 })).status).toBe(200);
    // Rows the API cannot produce: an anonymous event, and one naming a user of another account.
    await t.db.query(
      `INSERT INTO audit_events (account_id, actor_user_id, action, resource_type, resource_id, details, occurred_at)
       VALUES ($1, NULL, 'auth.login_failed', 'user', NULL, '{"method":"password","reason":"unknown_email"}', $3),
              ($1, $2, 'session.revoked', 'session', NULL, '{}', $3)`,
      [owner.accountId, stranger.id, t.clock.now()],
    );

    const pages = await walk(owner, { limit: 200 });
    const items = pages.flatMap((p) => p.items);

    expect(items.map((i) => i.id).sort()).toEqual((await idsInAccount(owner.accountId)).sort());
    const strangerIds = new Set(await idsInAccount(stranger.accountId));
    expect(strangerIds.size).toBe(3);
    expect(items.some((i) => strangerIds.has(i.id))).toBe(false);
    expect(items.find((i) => i.action === 'auth.login_failed')?.actor).toBeNull();
    expect(items.find((i) => i.action === 'session.revoked')?.actor).toEqual({ user_id: stranger.id, email: null });
    expect(JSON.stringify(items)).not.toContain(stranger.email);
  });

  it('pages across cursors without duplicates or gaps, strictly newest first', async () => {
    const owner = await signupOwner(t);
    // Several events share an instant, so the id has to break ties.
    for (let i = 0; i < 3; i++) await login(t, owner.email, owner.password);
    t.clock.advance(1);
    for (const idle of [30, 45, 60]) {
      expect((await patchPolicy(owner, { idle_minutes: idle })).status).toBe(200);
      t.clock.advance(1);
    }
    const expected = await idsInAccount(owner.accountId);
    expect(expected).toHaveLength(7);

    const pages = await walk(owner, { limit: 2 });

    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    expect(pages[pages.length - 1].next_cursor).toBeNull();
    const items = pages.flatMap((p) => p.items);
    expect(items.map((i) => i.id)).toEqual(expected);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (let i = 1; i < items.length; i++) {
      const newer = items[i - 1];
      const older = items[i];
      const newerTime = Date.parse(newer.occurred_at);
      const olderTime = Date.parse(older.occurred_at);
      expect(newerTime > olderTime || (newerTime === olderTime && newer.id > older.id)).toBe(true);
    }
  });

  it('filters by action and by a since (inclusive) / until (exclusive) window', async () => {
    const owner = await signupOwner(t); // t0: auth.login_succeeded
    const t0 = t.clock.now().toISOString();
    t.clock.advance(60);
    const t1 = t.clock.now().toISOString();
    expect((await patchPolicy(owner, { idle_minutes: 60 })).status).toBe(200);
    t.clock.advance(60);
    const t2 = t.clock.now().toISOString();
    await login(t, owner.email, owner.password);
    t.clock.advance(60);
    const t3 = t.clock.now().toISOString();
    expect((await patchPolicy(owner, { idle_minutes: 90 })).status).toBe(200);

    const times = async (query: Record<string, string | number>) => {
      const response = await list(owner, query);
      expect(response.status).toBe(200);
      return response.body.items.map((i) => i.occurred_at);
    };

    expect(await times({})).toEqual([t3, t2, t1, t0]);
    expect(await times({ action: 'account.session_policy_update' })).toEqual([t3, t1]);
    expect(await times({ since: t1 })).toEqual([t3, t2, t1]);
    expect(await times({ until: t2 })).toEqual([t1, t0]);
    expect(await times({ since: t1, until: t3 })).toEqual([t2, t1]);
    expect(await times({ action: 'auth.login_succeeded', since: t1 })).toEqual([t2]);
    // The same instant written with an offset means the same thing.
    expect(await times({ since: t1.replace('Z', '+00:00') })).toEqual([t3, t2, t1]);

    const first = await list(owner, { action: 'account.session_policy_update', limit: 1 });
    expect(first.body.items.map((i) => i.occurred_at)).toEqual([t3]);
    const second = await list(owner, { action: 'account.session_policy_update', limit: 1, cursor: first.body.next_cursor! });
    expect(second.body.items.map((i) => i.occurred_at)).toEqual([t1]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('combines every filter with a cursor (action, actor, since, until)', async () => {
    const owner = await signupOwner(t); // auth.login_succeeded (signup)
    const since = t.clock.now().toISOString();
    const updates: string[] = [];
    for (const minutes of [60, 70, 80, 90]) {
      t.clock.advance(30);
      updates.unshift(t.clock.now().toISOString());
      expect((await patchPolicy(owner, { idle_minutes: minutes })).status).toBe(200);
    }
    t.clock.advance(30);
    const until = t.clock.now().toISOString();
    expect((await patchPolicy(owner, { idle_minutes: 100 })).status).toBe(200); // at `until`: excluded
    const query = { action: 'account.session_policy_update', actor: owner.id, since, until, limit: 2 };

    const pages = await walk(owner, query);

    expect(pages.map((page) => page.items.map((item) => item.occurred_at))).toEqual([updates.slice(0, 2), updates.slice(2)]);
    expect(pages.flatMap((page) => page.items.map((item) => item.actor?.user_id))).toEqual([owner.id, owner.id, owner.id, owner.id]);
    // Another actor's id: nothing, even with the other filters matching.
    expect((await list(owner, { ...query, actor: '6f1c1c9e-1d7c-4a44-9d0e-8b3f7c0a1b2c' })).body.items).toEqual([]);
  });

  it('reads pages with named statements whose plans PostgreSQL reuses (issue 11)', async () => {
    const owner = await signupOwner(t);
    for (let i = 0; i < 12; i++) expect((await list(owner)).status).toBe(200);

    // Plans live per connection: hold every pooled connection and add up what each has cached.
    const queries = t.app.get(PreparedQueries);
    const pool = (t.db.driver as unknown as { master: { totalCount: number } }).master;
    const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => queries.connect()));
    const plans: Record<string, number> = {};
    try {
      for (const client of clients) {
        const { rows } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
          'SELECT name, generic_plans, custom_plans FROM pg_prepared_statements',
        );
        for (const row of rows) plans[row.name] = (plans[row.name] ?? 0) + Number(row.generic_plans) + Number(row.custom_plans);
      }
    } finally {
      for (const client of clients) client.release();
    }
    expect(plans['audit_events_page_00000']).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ['a cursor that is not base64url', { cursor: 'not a cursor!' }, 'cursor'],
    ['a cursor without the keyset fields', { cursor: cursorOf({ page: 2 }) }, 'cursor'],
    ['a cursor with a bad id', { cursor: cursorOf({ occurred_at: '2026-01-01T00:00:00.000Z', id: 'x' }) }, 'cursor'],
    ['a cursor with a bad time', { cursor: cursorOf({ occurred_at: 'yesterday', id: '6f1c1c9e-1d7c-4a44-9d0e-8b3f7c0a1b2c' }) }, 'cursor'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 201', { limit: 201 }, 'limit'],
    ['a fractional limit', { limit: '1.5' }, 'limit'],
    ['a non-numeric limit', { limit: 'ten' }, 'limit'],
    ['an unknown action', { action: 'auth.nope' }, 'action'],
    ['a since that is not a date-time', { since: 'yesterday' }, 'since'],
    ['a since without a time', { since: '2026-01-01' }, 'since'],
    ['a since without a time zone', { since: '2026-01-01T00:00:00' }, 'since'],
    ['an until on a day that does not exist', { until: '2026-02-30T00:00:00Z' }, 'until'],
    ['an unknown parameter', { page: 2 }, 'page'],
  ])('rejects %s with 422', async (_name, query, field) => {
    const owner = await signupOwner(t);

    const response = await list(owner, query);

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'validation_failed' });
    expect((response.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
  });

  it('accepts the largest page size', async () => {
    const owner = await signupOwner(t);
    const response = await list(owner, { limit: 200 });
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const owner = await signupOwner(t);
    const [id] = await idsInAccount(owner.accountId);
    expect(id).toBeDefined();

    // The API role has no such privilege at all (least-privilege.spec.ts); even the owner,
    // who has every privilege, is stopped by the triggers.
    await expect(t.db.query('DELETE FROM audit_events WHERE id = $1', [id])).rejects.toThrow(/permission denied/);
    const asOwner = new DataSource({ type: 'postgres', url: t.ownerUrl });
    await asOwner.initialize();
    try {
      await expect(asOwner.query(`UPDATE audit_events SET action = 'member.updated' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
      await expect(asOwner.query('DELETE FROM audit_events WHERE id = $1', [id])).rejects.toThrow(/append-only/);
      await expect(asOwner.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    } finally {
      await asOwner.destroy();
    }

    const [row] = await t.db.query('SELECT action FROM audit_events WHERE id = $1', [id]);
    expect(row).toEqual({ action: 'auth.login_succeeded' });
  });

  it('documents the new endpoints in the OpenAPI document', async () => {
    const response = await t.get('/api/docs-json');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/accounts/me/audit-events', '/api/accounts/me/security', '/api/accounts/me/security/revoke-sessions']),
    );
    expect(response.body.components.schemas.PolicyPreset.enum).toEqual(['strict', 'standard', 'custom']);
  });
});
