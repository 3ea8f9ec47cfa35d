import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../../../apps/api/src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../../../apps/api/src/database/migrate';
import { ROTATE_SQL, SessionsRepository } from '../../../apps/api/src/sessions/sessions.repository';
import { CpuMeter } from './cpu';
import { chainStart, findPgbench, runPgbench } from './pgbench';
import { addSessions, seedSessions } from './seed';

/**
 * What one rotation writes and costs PostgreSQL, alone (no HTTP): `npm run bench:rotation`.
 * Seeds a table of `ROTATION_BACKGROUND` sessions (default 100,000) so the indexes have a
 * realistic depth, then runs `pgbench -M prepared` on `ROTATE_SQL` at c=1 and c=32 and prints,
 * per rotation: PostgreSQL CPU, WAL records and bytes, heap updates and how many were HOT, and
 * one `EXPLAIN (ANALYZE, WAL, BUFFERS)` of the statement.
 *
 * Arguments name variants, `name=file.sql` (`name=` for the schema as migrated): the file runs
 * after the migrations and before the seed, one embedded PostgreSQL per variant, and all variants
 * run side by side so they share whatever else loads the machine (a busy machine inflates CPU per
 * operation; side by side it inflates both alike). `ROTATION_READS=50,10000` also times the device
 * list and the sweeper for a user with that many live sessions (`ROTATION_GENERIC=1`: generic plans).
 * `ROTATION_CLIENTS` (default `1,32`), `ROTATION_SECONDS`, `ROTATION_ROUNDS`, `ROTATION_BACKGROUND` size the runs.
 */
const policy = { authTimeSeconds: Math.floor(Date.now() / 1000) - 60, idleMaxSeconds: 3600 * 24, absMaxSeconds: 3600 * 24 * 30 };
const fixed = { idleSeconds: 1800, absoluteSeconds: 86400, userAgent: 'sessions-bench', ip: '127.0.0.1' };
const seconds = Number(process.env.ROTATION_SECONDS ?? 4);

interface Stats {
  wal_records: string;
  wal_bytes: string;
  s_upd: string;
  s_hot: string;
  t_upd: string;
  t_hot: string;
  t_ins: string;
}

async function stats(db: Pool): Promise<Record<keyof Stats, number>> {
  await db.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
  const { rows } = await db.query<Stats>(
    `SELECT w.wal_records, w.wal_bytes,
            s.n_tup_upd AS s_upd, s.n_tup_hot_upd AS s_hot, t.n_tup_upd AS t_upd, t.n_tup_hot_upd AS t_hot, t.n_tup_ins AS t_ins
       FROM pg_stat_wal w, pg_stat_user_tables s, pg_stat_user_tables t
      WHERE s.relname = 'sessions' AND t.relname = 'refresh_tokens'`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)])) as Record<keyof Stats, number>;
}

interface Instance {
  name: string;
  dataDir: string;
  url: string;
  db: Pool;
  meter: CpuMeter;
  stop: () => Promise<void>;
}

async function startInstance(name: string, variantSql: string | null): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-rotation-'));
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
  await ensureDatabase(postgres.url('postgres'), 'rotation');
  const url = postgres.url('rotation');
  await runMigrations(url);
  const db = new Pool({ connectionString: url, max: 2 });
  if (variantSql) await db.query(readFileSync(variantSql, 'utf8'));
  await seedSessions(db, { count: Number(process.env.ROTATION_BACKGROUND ?? 100_000), label: 'background', policy });
  await db.query('VACUUM ANALYZE');
  return {
    name,
    dataDir,
    url,
    db,
    meter: new CpuMeter(dataDir, availableParallelism()),
    stop: async () => {
      await db.end();
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function rotate(pgbench: string, at: Instance, clients: number, base: number): Promise<string> {
  await seedSessions(at.db, {
    count: clients,
    label: `c${clients}-${base}`,
    policy,
    storedHash: (_, i) => Buffer.from(String(chainStart(base, i))),
  });
  const before = await stats(at.db);
  let from = at.meter.read();
  let cpu = 0;
  const result = await runPgbench({
    pgbench,
    databaseUrl: at.url,
    dir: at.dataDir,
    clients,
    base,
    // The CPU window opens this long after the spawn: long enough for every client's SCRAM
    // handshake on a busy machine, which would otherwise be charged to the rotations.
    warmupMs: Number(process.env.ROTATION_WARMUP_MS ?? 3000),
    durationMs: seconds * 1000,
    fixed,
    onWindowStart: () => (from = at.meter.read()),
    onWindowEnd: () => (cpu = at.meter.use(from, at.meter.read()).postgresCores ?? NaN),
  });
  const after = await stats(at.db);
  const n = result.processed;
  const inWindow = result.latenciesMs.length;
  const per = (key: keyof Stats) => ((after[key] - before[key]) / n).toFixed(2);
  return (
    `${at.name.padEnd(6)} c=${clients}: ${(inWindow / seconds).toFixed(0)}/s, PG CPU ${((cpu * seconds * 1000) / inWindow).toFixed(3)} ms/rotation; ` +
    `WAL ${per('wal_records')} rec ${per('wal_bytes')} B; sessions hot ${per('s_hot')}/${per('s_upd')}; ` +
    `tokens hot ${per('t_hot')}/${per('t_upd')} ins ${per('t_ins')}`
  );
}

async function explain(at: Instance): Promise<string> {
  await seedSessions(at.db, { count: 1, label: 'explain', policy, storedHash: () => Buffer.from('explain-0') });
  const client = await at.db.connect();
  try {
    await client.query(`PREPARE rot(bytea, bytea, timestamptz, boolean, int, int, text, text) AS ${ROTATE_SQL.text}`);
    let plan = '';
    for (let i = 0; i < 12; i++) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, WAL, BUFFERS, COSTS OFF) EXECUTE rot('explain-${i}', 'explain-${i + 1}', now(), false, 1800, 86400, 'ua', '127.0.0.1')`,
      );
      plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    }
    return process.env.ROTATION_PLAN
      ? plan
      : plan
          .split('\n')
          .filter((line) => /^\S|WAL:/.test(line))
          .join('\n');
  } finally {
    client.release();
  }
}

/**
 * The reads the index change can slow: the device list's first and a deeper page for a user with
 * `count` live sessions, and the sweeper's batch — the repository's own statements (captured),
 * median execution time of 15 `EXPLAIN ANALYZE` runs, plus the plan's nodes once.
 */
async function reads(at: Instance, counts: number[]): Promise<string> {
  const out: string[] = [];
  for (const count of counts) {
    const [owner] = await seedSessions(at.db, { count: 1, label: `devices-${count}`, policy });
    await addSessions(at.db, owner, count - 1, policy);
    await at.db.query('ANALYZE sessions');
    const captured: { text: string; values: unknown[] }[] = [];
    const record = async (text: string | { text: string }, values: readonly unknown[] = []) => {
      captured.push({ text: typeof text === 'string' ? text : text.text, values: [...values] });
      return [];
    };
    const recordTx = async (text: string, values: readonly unknown[] = []) => [await record(text, values), 0];
    const repo = new SessionsRepository({ tx: { query: recordTx } } as never, { query: record } as never, { rows: record } as never);
    const now = new Date();
    const who = { accountId: owner.accountId, userId: owner.userId, currentSessionId: owner.sessionId };
    await repo.devicesPage(who, now, null, 50);
    const [{ lu, cr, id }] = (
      await at.db.query<{ lu: string; cr: string; id: string }>(
        `SELECT to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS lu, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cr, id::text
           FROM sessions WHERE user_id = $1 ORDER BY last_used_at DESC, created_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [owner.userId, Math.floor(count / 2)],
      )
    ).rows;
    await repo.devicesPage(who, now, { lastUsedAt: lu, createdAt: cr, id }, 50);
    await repo.endExpired(now, 500);
    for (const [label, statement] of [
      ['devices first page', captured[0]],
      ['devices middle page', captured[1]],
      ['sweeper batch', captured[2]],
    ] as const) {
      if (label === 'sweeper batch' && count !== counts[0]) continue;
      const client = await at.db.connect();
      try {
        await client.query('BEGIN');
        // What the API's named prepared statement runs once its plan is cached.
        if (process.env.ROTATION_GENERIC) await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
        const times: number[] = [];
        let nodes = '';
        for (let i = 0; i < 15; i++) {
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
          const lines = rows.map((r) => r['QUERY PLAN']);
          times.push(Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1]));
          nodes = lines
            .filter((l) => /Scan|Sort|Limit|Buffers: shared/.test(l))
            .map((l) => l.trim().replace(/\(cost=[^)]*\)\s*/, ''))
            .slice(0, 8)
            .join(' | ');
        }
        times.sort((a, b) => a - b);
        out.push(`${at.name} ${label}, ${count} live: median ${times[7].toFixed(3)} ms — ${nodes}`);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
  }
  return out.join('\n');
}

/** Variants as `name=file.sql` arguments (`name=` for the schema as migrated); all run side by side, so they share the machine's load. */
async function main(): Promise<void> {
  const pgbench = findPgbench();
  if (!pgbench) throw new Error('pgbench missing');
  const variants = process.argv.slice(2).map((arg) => arg.split('=', 2) as [string, string]);
  const instances = await Promise.all(variants.map(([name, file]) => startInstance(name, file || null)));
  try {
    const readCounts = process.env.ROTATION_READS;
    if (readCounts) {
      const lines = await Promise.all(instances.map((at) => reads(at, readCounts.split(',').map(Number))));
      console.log(lines.join('\n'));
    }
    const levels = (process.env.ROTATION_CLIENTS ?? '1,32').split(',').map(Number);
    for (let round = 0; round < Number(process.env.ROTATION_ROUNDS ?? 2); round++) {
      for (const [level, clients] of levels.entries()) {
        // Each point rotates its own token chains: distinct bases, never a reused hash.
        const base = (round * levels.length + level + 1) * 1_000_000_000_000;
        const lines = await Promise.all(instances.map((at) => rotate(pgbench, at, clients, base)));
        console.log(lines.join('\n'));
      }
    }
    for (const at of instances) console.log(`== ${at.name}\n${await explain(at)}`);
  } finally {
    await Promise.all(instances.map((at) => at.stop()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
