import { Client } from 'pg';
import { addMember, login, SignedInUser, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

const AUDIT = '/api/accounts/me/audit-events';
const EXPORT = `${AUDIT}/export`;

/** Minimal RFC 4180 reader: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('audit log: actor filter and export (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const query = (values: Record<string, string>) => new URLSearchParams(values).toString();
  const exportAs = (owner: SignedInUser, values: Record<string, string>) =>
    t.get<string>(`${EXPORT}?${query(values)}`, { token: owner.tokens.access_token });

  it('filters the list by actor, scoped to the account', async () => {
    const owner = await signupOwner(t);
    t.clock.advance(1);
    const admin = await addMember(t, owner, 'admin'); // owner: member.added; admin: auth.login_succeeded
    const stranger = await signupOwner(t);

    const byAdmin = await t.get(`${AUDIT}?actor=${admin.id}`, { token: owner.tokens.access_token });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.items.map((e: { action: string }) => e.action)).toEqual(['auth.login_succeeded']);
    expect(byAdmin.body.items.every((e: { actor: { user_id: string } }) => e.actor.user_id === admin.id)).toBe(true);

    const byOwner = await t.get(`${AUDIT}?actor=${owner.id}&action=member.added`, { token: owner.tokens.access_token });
    expect(byOwner.body.items).toHaveLength(1);

    // Another account's user id finds nothing, it is not an error that confirms the id exists.
    const foreign = await t.get(`${AUDIT}?actor=${stranger.id}`, { token: owner.tokens.access_token });
    expect(foreign.status).toBe(200);
    expect(foreign.body.items).toEqual([]);

    const bad = await t.get(`${AUDIT}?actor=not-a-uuid`, { token: owner.tokens.access_token });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('exports the filtered events as a CSV attachment, newest first, formula cells neutralised', async () => {
    const owner = await signupOwner(t);
    t.clock.advance(1);
    await login(t, owner.email, owner.password, { userAgent: '=HYPERLINK("http://evil.test","x")' });
    t.clock.advance(1);
    await login(t, owner.email, owner.password, { userAgent: '-2+3, "quoted"' });
    t.clock.advance(1);
    expect((await t.post('/api/auth/login/json', { email: owner.email, password: 'wrong-password-1' })).status).toBe(401);

    const response = await exportAs(owner, {
      format: 'csv',
      action: 'auth.login_succeeded',
      since: new Date(t.clock.now().getTime() - 2500).toISOString(),
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-\d{8}T\d{6}Z\.csv"$/);
    const rows = parseCsv(response.body);
    expect(rows[0]).toEqual([
      'id',
      'occurred_at',
      'action',
      'actor_user_id',
      'actor_email',
      'resource_type',
      'resource_id',
      'ip',
      'user_agent',
      'details',
    ]);
    expect(rows.slice(1).map((r) => r[8])).toEqual([`'-2+3, "quoted"`, `'=HYPERLINK("http://evil.test","x")`]);
    expect(rows.slice(1).every((r) => r[2] === 'auth.login_succeeded' && r[3] === owner.id && r[4] === owner.email)).toBe(true);
    expect(JSON.parse(rows[1][9])).toEqual({ method: 'password' });
  });

  it('streams every event of a long log as NDJSON, across many batches, no duplicates, only the caller’s account', async () => {
    const owner = await signupOwner(t);
    const stranger = await signupOwner(t);
    // 1,203 events straight into the log (the API's own writes are covered above): the
    // export reads in batches of 500, so this crosses two batch edges, and many share
    // an instant, so the id breaks ties at the edges.
    await t.db.query(
      `INSERT INTO audit_events (account_id, actor_user_id, action, resource_type, resource_id, details, occurred_at)
       SELECT $1, $2::uuid, 'auth.login_succeeded', 'user', $2::text, '{"method":"password"}', $3::timestamptz - (g / 3) * interval '1 second'
         FROM generate_series(1, 1203) g`,
      [owner.accountId, owner.id, t.clock.now()],
    );
    await login(t, stranger.email, stranger.password);

    // Straight through inject: the helper would try to parse the whole body as one JSON.
    const response = await t.app.inject({
      method: 'GET',
      url: `${EXPORT}?format=ndjson`,
      headers: { authorization: `Bearer ${owner.tokens.access_token}` },
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-.*\.ndjson"$/);
    const lines = (response.body as string).split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as { id: string; occurred_at: string; actor: { user_id: string } | null });
    const expected: { id: string }[] = await t.db.query(
      'SELECT id FROM audit_events WHERE account_id = $1 ORDER BY occurred_at DESC, id DESC',
      [owner.accountId],
    );
    expect(events).toHaveLength(1204); // + the owner's signup
    expect(events.map((e) => e.id)).toEqual(expected.map((row) => row.id));
    expect(events.some((e) => e.actor?.user_id === stranger.id)).toBe(false);
  });

  it('is owner only, and validates its filters before sending anything', async () => {
    const owner = await signupOwner(t);
    const admin = await addMember(t, owner, 'admin');
    const engineer = await addMember(t, owner, 'engineer');

    for (const member of [admin, engineer]) {
      const refused = await exportAs(member, { format: 'csv' });
      expect(refused.status).toBe(403);
    }
    expect((await t.get(`${EXPORT}?format=csv`)).status).toBe(401);
    const invalid: Record<string, string>[] = [
      {},
      { format: 'xlsx' },
      { format: 'csv', action: 'nope' },
      { format: 'csv', actor: '1' },
      { format: 'csv', since: 'yesterday' },
    ];
    for (const values of invalid) {
      const bad = await exportAs(owner, values);
      expect(bad.status).toBe(422);
      expect((bad.body as unknown as { code: string }).code).toBe('validation_failed');
    }
    const empty = await exportAs(owner, { format: 'csv', action: 'auth.password_changed' });
    expect(empty.status).toBe(200);
    expect(parseCsv(empty.body)).toHaveLength(1); // the header only
  });

  it('answers a problem, not an empty download, when the log cannot be read before the first byte', async () => {
    const owner = await signupOwner(t);
    // Another session holds the log locked: the export's first batch hits the statement timeout.
    const blocker = new Client({ connectionString: t.ownerUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE');
      const response = await exportAs(owner, { format: 'csv' });
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
      expect(response.headers['content-disposition']).toBeUndefined();
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect((await exportAs(owner, { format: 'csv' })).status).toBe(200);
  });
});
