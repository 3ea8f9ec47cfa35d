import { Client } from 'pg';
import { apiRoleExcess } from '../src/database/roles';
import { signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 8, finding 1: the API connects as a role that owns nothing and may only read and
 * append the audit log. Everything else in the suite runs as that role too, which
 * proves the grants are enough; this file proves they are not more.
 */
describe('least-privileged API database role', () => {
  let t: TestApp;
  let api: Client;
  let auditId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await signupOwner(t);
    [{ id: auditId }] = await t.db.query('SELECT id FROM audit_events WHERE account_id = $1 LIMIT 1', [owner.accountId]);
    api = new Client({ connectionString: t.databaseUrl });
    await api.connect();
  });
  afterAll(async () => {
    await api.end();
    await t.close();
  });

  const refused = async (sql: string, params: unknown[] = []) => {
    const error = await api.query(sql, params).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(error).not.toBeNull();
    // insufficient_privilege / must be owner / must be superuser
    expect(error?.code).toBe('42501');
  };

  it('is the role the app itself connects with', async () => {
    const [{ user }] = await t.db.query('SELECT current_user AS user');
    expect(user).toBe('sessions_api');
  });

  it('cannot rewrite the audit log: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await refused(`UPDATE audit_events SET action = 'member.updated' WHERE id = $1`, [auditId]);
    await refused('DELETE FROM audit_events WHERE id = $1', [auditId]);
    await refused('TRUNCATE audit_events');
    const { rows } = await api.query('SELECT count(*)::int AS n FROM audit_events WHERE id = $1', [auditId]);
    expect(rows[0].n).toBe(1);
  });

  it('cannot switch the append-only triggers off', async () => {
    await refused('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await refused('ALTER TABLE audit_events DISABLE TRIGGER ALL');
    await refused('SET session_replication_role = replica');
    await refused('DROP TRIGGER audit_events_append_only ON audit_events');
  });

  it('cannot reach the operating system or the server files', async () => {
    await refused(`COPY (SELECT 1) TO PROGRAM 'true'`);
    await refused(`COPY audit_events TO '/tmp/sessions-audit-copy'`);
    await refused(`SELECT pg_read_file('postgresql.conf')`);
  });

  it('cannot create objects: tables, temporary tables, schemas, functions', async () => {
    await refused('CREATE TABLE evil (id int)');
    await refused('CREATE TEMPORARY TABLE evil (id int)');
    await refused('CREATE SCHEMA evil');
    await refused('CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$');
  });

  it('cannot delete rows anywhere, nor read the migration ledger', async () => {
    await refused('DELETE FROM sessions');
    await refused('DELETE FROM users');
    await refused('SELECT * FROM schema_migrations');
  });

  it('cannot connect to other databases', async () => {
    const other = new Client({ connectionString: t.databaseUrl.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
    await expect(other.connect()).rejects.toMatchObject({ code: '42501' });
    await other.end().catch(() => undefined);
  });

  it('has nothing beyond its grants, by the check main.ts logs at start', async () => {
    expect(await apiRoleExcess(t.databaseUrl)).toEqual([]);
  });
});
