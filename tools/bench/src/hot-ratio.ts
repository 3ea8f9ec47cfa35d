import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../../../apps/api/src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../../../apps/api/src/database/migrate';
import { findPgbench } from './pgbench';
import { seedSessions } from './seed';

/**
 * The HOT share of the rotation's session stamp when refreshes are spread over many sessions
 * (each row updated minutes apart, as in production), not one chain per client as in pgbench's
 * rotation: `n` sessions, random ones stamped like the rotation does, per fillfactor.
 */
const policy = { authTimeSeconds: Math.floor(Date.now() / 1000) - 60, idleMaxSeconds: 86400, absMaxSeconds: 86400 * 30 };

async function main(): Promise<void> {
  const pgbench = findPgbench();
  if (!pgbench) throw new Error('pgbench is not installed');
  const n = Number(process.env.HOT_SESSIONS ?? 50_000);
  for (const setting of (process.env.HOT_FILLFACTORS ?? '100,90,80').split(',')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sessions-hot-'));
    const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
    try {
      await ensureDatabase(postgres.url('postgres'), 'hot');
      const url = postgres.url('hot');
      await runMigrations(url);
      const db = new Pool({ connectionString: url, max: 2 });
      // "before:90" sets the fillfactor after the seed (existing pages, as a migration on a live table does).
      const [when, ff] = setting.includes(':') ? setting.split(':') : ['seed', setting];
      if (when === 'seed') await db.query(`ALTER TABLE sessions SET (fillfactor = ${Number(ff)})`);
      else await db.query(`ALTER TABLE sessions SET (fillfactor = 100)`);
      await seedSessions(db, { count: n, label: 'hot', policy });
      if (when !== 'seed') await db.query(`ALTER TABLE sessions SET (fillfactor = ${Number(ff)})`);
      await db.query(`CREATE TABLE pick (k int PRIMARY KEY, id uuid NOT NULL)`);
      await db.query(`INSERT INTO pick SELECT row_number() OVER (), id FROM sessions`);
      await db.query('VACUUM ANALYZE');
      const script = join(dataDir, 'stamp.sql');
      writeFileSync(
        script,
        `\\set k random(1, ${n})\nUPDATE sessions s SET last_used_at = now(), user_agent = COALESCE('Mozilla/5.0 (X11; Linux x86_64) bench', s.user_agent), ip = COALESCE('127.0.0.1', s.ip), idle_max_seconds = s.idle_max_seconds, abs_max_seconds = s.abs_max_seconds FROM pick p WHERE p.k = :k AND s.id = p.id;\n`,
      );
      const out = spawnSync(pgbench, ['-n', '-c', '4', '-j', '2', '-t', String(Math.round((n * 3) / 4)), '-f', script, url], {
        encoding: 'utf8',
      });
      if (out.status !== 0) throw new Error(out.stderr);
      await db.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
      const { rows } = await db.query(
        `SELECT n_tup_upd, n_tup_hot_upd, pg_relation_size('sessions') AS bytes FROM pg_stat_user_tables WHERE relname = 'sessions'`,
      );
      const r = rows[0] as { n_tup_upd: string; n_tup_hot_upd: string; bytes: string };
      console.log(
        `fillfactor ${setting} (${when === 'seed' ? 'set before the rows were written' : 'set on existing pages'}): ` +
          `${r.n_tup_upd} updates (3 per session), HOT ${((100 * Number(r.n_tup_hot_upd)) / Number(r.n_tup_upd)).toFixed(1)} %, ` +
          `table ${(Number(r.bytes) / 1048576).toFixed(1)} MiB`,
      );
      await db.end();
    } finally {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
