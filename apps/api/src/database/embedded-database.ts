import { join } from 'node:path';
import { Client } from 'pg';
import { loadOrCreateDatabaseSecrets } from '../config/runtime-config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres, SupervisorEvent } from './embedded-postgres';
import { API_ROLE, OWNER_ROLE, prepareEmbeddedRoles } from './roles';

/** The fixed superuser password of data folders created before issue 8. */
export const LEGACY_SUPERUSER_PASSWORD = 'postgres';

export interface EmbeddedDatabase {
  server: EmbeddedPostgresHandle;
  /** The owner role's URL: migrations. */
  migrationUrl: string;
  /** The least-privileged API role's URL. */
  apiUrl: string;
}

async function canSignIn(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false; // invalid_password
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The embedded PostgreSQL with its generated passwords (DATA_DIR/database-secrets.json,
 * mode 600) and its two roles. A data folder created with the old fixed superuser
 * password keeps working: the password is changed to the generated one on first start.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  database: string;
  port?: number;
  log?: (line: string) => void;
  onSupervisorEvent?: (event: SupervisorEvent) => void;
  onPasswordRotated?: () => void;
}): Promise<EmbeddedDatabase> {
  const secrets = loadOrCreateDatabaseSecrets(options.dataDir).values;
  const server = await startEmbeddedPostgres({
    dataDir: join(options.dataDir, 'pg'),
    port: options.port,
    password: secrets.superuser,
    log: options.log,
    onSupervisorEvent: options.onSupervisorEvent,
  });
  try {
    if (!(await canSignIn(server.url('postgres')))) {
      const legacy = server.url('postgres', { user: 'postgres', password: LEGACY_SUPERUSER_PASSWORD });
      const client = new Client({ connectionString: legacy });
      await client.connect();
      try {
        await client.query(`ALTER ROLE postgres WITH PASSWORD '${secrets.superuser.replace(/'/g, "''")}'`);
      } finally {
        await client.end().catch(() => undefined);
      }
      options.onPasswordRotated?.();
    }
    await prepareEmbeddedRoles(server.url('postgres'), options.database, { owner: secrets.owner, api: secrets.api });
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  return {
    server,
    migrationUrl: server.url(options.database, { user: OWNER_ROLE, password: secrets.owner }),
    apiUrl: server.url(options.database, { user: API_ROLE, password: secrets.api }),
  };
}
