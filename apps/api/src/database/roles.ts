import { Client } from 'pg';

/**
 * Two database roles (finding 1 of issue 8):
 * - the OWNER runs migrations and owns every table, trigger and function;
 * - the API role owns nothing and holds only the table privileges below, so even a
 *   compromised API process cannot disable the audit log's triggers (owner only),
 *   change `session_replication_role` or `COPY … TO PROGRAM` (superuser only),
 *   create objects or rewrite the audit log.
 * The embedded server creates both (names below); an external server names them in
 * DATABASE_MIGRATION_URL and DATABASE_URL.
 */
export const OWNER_ROLE = 'sessions_owner';
export const API_ROLE = 'sessions_api';

/**
 * Exactly what the API may do, table by table. The API never deletes a row of record:
 * sessions end by `revoked_at`, users by `is_active`, and the audit log is append-only.
 * Deleted are only rate-limit counters (throwaway, UNLOGGED: on a reset and once expired)
 * and identity links a user unlinks (the audit log keeps that story).
 * A table missing here stops the grant step, so a new migration must decide.
 */
export const API_TABLE_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  accounts: ['SELECT', 'INSERT', 'UPDATE'],
  users: ['SELECT', 'INSERT', 'UPDATE'],
  sessions: ['SELECT', 'INSERT', 'UPDATE'],
  refresh_tokens: ['SELECT', 'INSERT', 'UPDATE'],
  audit_events: ['SELECT', 'INSERT'],
  rate_limits: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Unlinking an identity removes its row (the audit log keeps the story).
  user_identities: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Removing a role's override is a DELETE (the audit log keeps old/new/effective).
  role_policies: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // TypeORM's migration ledger: the API has no business reading or writing it.
  schema_migrations: [],
};

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'sessions-setup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The user name in a postgres:// URL. */
export function urlUser(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * The post-migration grant step, run as the owner after every migration run.
 * Idempotent and complete: it first revokes everything from the API role, then grants
 * the list above, so the privileges are always exactly these whatever ran before.
 * A step (not a migration) because the API role's name is the deployment's choice
 * (DATABASE_URL), and because it re-asserts the list on every start.
 */
export async function grantApiPrivileges(ownerUrl: string, apiRole: string): Promise<void> {
  await withClient(ownerUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    );
    const unknown = rows.map((row) => row.name).filter((name) => !(name in API_TABLE_PRIVILEGES));
    if (unknown.length) {
      throw new Error(`grant step: no API privileges declared for table(s) ${unknown.join(', ')} (apps/api/src/database/roles.ts)`);
    }
    await client.query('BEGIN');
    try {
      await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${ident(apiRole)}`);
      await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${ident(apiRole)}`);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${ident(apiRole)}`);
      for (const { name } of rows) {
        const privileges = API_TABLE_PRIVILEGES[name] ?? [];
        if (privileges.length) await client.query(`GRANT ${privileges.join(', ')} ON ${ident(name)} TO ${ident(apiRole)}`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/**
 * What the API role could do beyond its grants, in words; empty when it is least
 * privileged. Logged at start so an operator sees a too-powerful DATABASE_URL.
 */
export async function apiRoleExcess(apiUrl: string): Promise<string[]> {
  return withClient(apiUrl, async (client) => {
    const { rows } = await client.query<Record<string, boolean>>(
      `SELECT r.rolsuper AS superuser, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb, r.rolbypassrls AS bypassrls,
              has_schema_privilege('public', 'CREATE') AS create_in_public,
              has_database_privilege(current_database(), 'CREATE') AS create_schema,
              has_database_privilege(current_database(), 'TEMP') AS temp_tables,
              EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) AS owns_tables
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const row = rows[0] ?? {};
    return Object.entries(row)
      .filter(([, value]) => value === true)
      .map(([name]) => name);
  });
}

/**
 * Embedded server only, as its superuser, on every start (idempotent): creates or
 * updates the two roles with the generated passwords, makes the owner own the
 * database and — for a data folder from before the roles existed — every object in
 * it, and keeps other roles out of the database.
 */
export async function prepareEmbeddedRoles(superUrl: string, database: string, passwords: { owner: string; api: string }): Promise<void> {
  await withClient(superUrl, async (client) => {
    for (const [role, password] of [
      [OWNER_ROLE, passwords.owner],
      [API_ROLE, passwords.api],
    ] as const) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await client.query(
        `${verb} ROLE ${ident(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`,
      );
    }
    const db = await client.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!db.rows[0]) await client.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(OWNER_ROLE)}`);
    else if (db.rows[0].owner !== OWNER_ROLE) await client.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(OWNER_ROLE)}`);
    await client.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(API_ROLE)}`);
    // The maintenance database is the superuser's alone.
    await client.query('REVOKE ALL ON DATABASE postgres FROM PUBLIC');
  });
  await withClient(superUrl.replace(/\/[^/]*$/, `/${database}`), (client) => adoptObjects(client, OWNER_ROLE));
}

/**
 * Hands every table, view, sequence and function in `public` (not those of
 * extensions) to the owner role, and keeps `public` closed to object creation.
 * A no-op once done; needed for data folders migrated by the superuser.
 */
export async function adoptObjects(client: Client, owner: string): Promise<void> {
  await client.query(`DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND pg_get_userbyid(c.relowner) <> ${literal(owner)}
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
      LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name, ${literal(owner)});
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> ${literal(owner)}
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.sig, ${literal(owner)});
      END LOOP;
    END $$`);
  await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
}
