import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../src/database/migrate';
import { SessionsRepository } from '../src/sessions/sessions.repository';

/**
 * Shows that the device list (`SessionsRepository.findLiveForUser`) stays an
 * index scan on `ix_sessions_user_live` with a million sessions in the table.
 *
 * Starts a throw-away embedded PostgreSQL, applies the real migrations, fills
 * it in SQL (generate_series), runs VACUUM ANALYZE, then captures the exact
 * statement the repository sends — by calling the repository itself with a
 * logging DataSource, so the SQL cannot drift from the code — and prints
 * `EXPLAIN (ANALYZE, BUFFERS)` of it. Exits 1 when the plan is not an index
 * scan on that index, so it can guard a migration that touches the table.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only \
 *     -P apps/api/tsconfig.scripts.json apps/api/scripts/explain-devices.ts
 *
 * Sizes: EXPLAIN_SESSIONS (1000000), EXPLAIN_USERS (100000),
 * EXPLAIN_ACCOUNTS (10000), EXPLAIN_SCRIPTED_SESSIONS (20000).
 */

const SESSIONS = positiveInt('EXPLAIN_SESSIONS', 1_000_000);
const USERS = positiveInt('EXPLAIN_USERS', 100_000);
const ACCOUNTS = positiveInt('EXPLAIN_ACCOUNTS', 10_000);
/** Sessions of the worst-case user: one sign-in every 5 minutes for ~70 days. */
const SCRIPTED_SESSIONS = positiveInt('EXPLAIN_SCRIPTED_SESSIONS', 20_000);
const INDEX = 'ix_sessions_user_live';

/** A fixed "now", so that every run builds the same table. */
const NOW = new Date('2026-06-15T12:00:00Z');
const IDLE_SECONDS = 3 * 24 * 3600;
const ABSOLUTE_SECONDS = 14 * 24 * 3600;
/** Share of sessions that have ended (logout, revoke, expiry found at refresh). */
const REVOKED_SHARE = 0.8;
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Records the statements TypeORM sends while `armed`. */
class CapturingLogger implements TypeOrmLogger {
  armed = false;
  readonly captured: { query: string; parameters: unknown[] }[] = [];

  logQuery(query: string, parameters?: unknown[]): void {
    if (this.armed) this.captured.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(error: string | Error, query: string): void {
    process.stderr.write(`query failed: ${String(error)}\n${query}\n`);
  }
  logQuerySlow(): void {
    // not needed
  }
  logSchemaBuild(): void {
    // not needed
  }
  logMigration(): void {
    // not needed
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') process.stderr.write(`${String(message)}\n`);
  }
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  process.stdout.write(`-- ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

interface Subject {
  label: string;
  accountId: string;
  userId: string;
}

async function fill(runner: QueryRunner): Promise<Subject[]> {
  // Same pseudo-random data on every run.
  await runner.query('SELECT setseed(0.42)');
  await timed(`${ACCOUNTS} accounts`, () =>
    runner.query(`INSERT INTO accounts (name) SELECT 'Account ' || g FROM generate_series(1, $1::int) g`, [ACCOUNTS]),
  );
  await timed(`${USERS} users`, () =>
    runner.query(
      `INSERT INTO users (account_id, email, name, role, password_hash)
       SELECT a.id, 'user' || g || '@bench.test', 'User ' || g, 'engineer', 'not-a-hash'
         FROM generate_series(0, $1::int - 1) g
         JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM accounts) a ON a.n = g % $2::int`,
      [USERS, ACCOUNTS],
    ),
  );
  // Every user gets SESSIONS / USERS sessions, used at random over the last 30
  // days; most have ended, and of the rest most are past their idle deadline
  // without anyone having marked them ended (nobody came back to refresh).
  await timed(`${SESSIONS} sessions`, () =>
    runner.query(
      `WITH u AS (SELECT id, account_id, row_number() OVER (ORDER BY id) - 1 AS n FROM users),
            g AS (SELECT g, $2::timestamptz - random() * interval '30 days' AS last_used, random() < $3 AS ended
                    FROM generate_series(0, $1::int - 1) g)
       INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds,
                             user_agent, ip, created_at, last_used_at, revoked_at, revoke_reason)
       SELECT u.account_id, u.id, g.last_used - interval '2 days', $4, $5,
              $6, '198.51.100.' || (g.g % 250), g.last_used - interval '2 days', g.last_used,
              CASE WHEN g.ended THEN g.last_used + interval '1 minute' END,
              CASE WHEN g.ended THEN 'logout' END
         FROM g JOIN u ON u.n = g.g % $7::int`,
      [SESSIONS, NOW, REVOKED_SHARE, IDLE_SECONDS, ABSOLUTE_SECONDS, UA, USERS],
    ),
  );
  // The user whose device list we explain: the typical mix above, plus three
  // devices in use right now.
  const [user]: { id: string; account_id: string }[] = await runner.query(`SELECT id, account_id FROM users ORDER BY email LIMIT 1`);
  await runner.query(
    `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds,
                           user_agent, ip, created_at, last_used_at)
     SELECT $1, $2, $3::timestamptz - interval '1 day', $4, $5, $6, '8.8.8.8',
            $3::timestamptz - interval '1 day', $3::timestamptz - g * interval '1 hour'
       FROM generate_series(1, 3) g`,
    [user.account_id, user.id, NOW, IDLE_SECONDS, ABSOLUTE_SECONDS, UA],
  );
  // The worst case: a script that signs in with a password every 5 minutes
  // and never signs out. Its sessions are never ended, only left to expire,
  // so they all stay in the partial index.
  const [scripted]: { id: string; account_id: string }[] = await runner.query(
    `SELECT id, account_id FROM users ORDER BY email DESC LIMIT 1`,
  );
  await timed(`${SCRIPTED_SESSIONS} sessions of a scripted user`, () =>
    runner.query(
      `INSERT INTO sessions (account_id, user_id, auth_time, idle_max_seconds, abs_max_seconds,
                             user_agent, ip, created_at, last_used_at)
       SELECT $1, $2, $3::timestamptz - g * interval '5 minutes', $4, $5, 'python-requests/2.32.3', '8.8.8.8',
              $3::timestamptz - g * interval '5 minutes', $3::timestamptz - g * interval '5 minutes'
         FROM generate_series(1, $6::int) g`,
      [scripted.account_id, scripted.id, NOW, IDLE_SECONDS, ABSOLUTE_SECONDS, SCRIPTED_SESSIONS],
    ),
  );
  await timed('VACUUM ANALYZE', async () => {
    for (const table of ['accounts', 'users', 'sessions']) await runner.query(`VACUUM ANALYZE ${table}`);
  });
  return [
    { label: 'a typical user', accountId: user.account_id, userId: user.id },
    { label: 'a scripted user who never signs out', accountId: scripted.account_id, userId: scripted.id },
  ];
}

async function describeTable(runner: QueryRunner): Promise<void> {
  const [counts]: { total: string; not_ended: string; live: string }[] = await runner.query(
    `SELECT count(*) AS total,
            count(*) FILTER (WHERE revoked_at IS NULL) AS not_ended,
            count(*) FILTER (WHERE revoked_at IS NULL
                               AND last_used_at + make_interval(secs => idle_max_seconds) > $1
                               AND auth_time + make_interval(secs => abs_max_seconds) > $1) AS live
       FROM sessions`,
    [NOW],
  );
  const sizes: { name: string; size: string }[] = await runner.query(
    `SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size
       FROM pg_class c
      WHERE c.relname = 'sessions'
         OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'sessions'::regclass)
      ORDER BY c.relname`,
  );
  process.stdout.write(
    `\nsessions: ${counts.total} rows, ${counts.not_ended} not ended, ${counts.live} live\n` +
      sizes.map((row) => `  ${row.name}: ${row.size}`).join('\n') +
      '\n',
  );
}

/** EXPLAINs the repository's statement for one user; true when it is an index scan on INDEX. */
async function explain(dataSource: DataSource, runner: QueryRunner, logger: CapturingLogger, subject: Subject): Promise<boolean> {
  const [rows]: { total: string; not_ended: string }[] = await runner.query(
    `SELECT count(*) AS total, count(*) FILTER (WHERE revoked_at IS NULL) AS not_ended FROM sessions WHERE user_id = $1`,
    [subject.userId],
  );
  // The statement exactly as the repository sends it.
  logger.captured.length = 0;
  logger.armed = true;
  const found = await new SessionsRepository(dataSource, null as never).findLiveForUser(subject.accountId, subject.userId, NOW);
  logger.armed = false;
  const statement = logger.captured.find((entry) => /^\s*SELECT/i.test(entry.query));
  if (!statement) throw new Error('findLiveForUser sent no SELECT');
  process.stdout.write(
    `\n=== ${subject.label}: ${rows.total} sessions, ${rows.not_ended} not ended, ${found.length} live (returned)\n` +
      `${statement.query}\nparameters: ${JSON.stringify(statement.parameters)}\n\n`,
  );

  // Once to warm the cache as a busy server would have it, then the run shown.
  await runner.query(`EXPLAIN (ANALYZE) ${statement.query}`, statement.parameters);
  const plan: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.query}`, statement.parameters);
  const text = plan.map((row) => row['QUERY PLAN']).join('\n');
  const ok = new RegExp(`Index Scan( Backward)? using ${INDEX} on sessions`).test(text) && !/Seq Scan/.test(text);
  process.stdout.write(`${text}\n\n${ok ? 'OK' : 'FAIL'}: ${ok ? '' : 'not '}an index scan on ${INDEX}\n`);
  return ok;
}

async function main(): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-explain-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  const logger = new CapturingLogger();
  let dataSource: DataSource | null = null;
  let ok = false;
  try {
    await ensureDatabase(pg.url('postgres'), 'explain');
    await runMigrations(pg.url('explain'));
    dataSource = new DataSource({ ...dataSourceOptions(pg.url('explain'), { poolSize: 2 }), logging: ['query', 'error', 'warn'], logger });
    await dataSource.initialize();

    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Bulk loading and VACUUM outlast the API's 15 s statement timeout.
      await runner.query('SET statement_timeout = 0');
      const subjects = await fill(runner);
      await describeTable(runner);
      ok = true;
      for (const subject of subjects) {
        ok = (await explain(dataSource, runner, logger, subject)) && ok;
      }
    } finally {
      await runner.release();
    }
  } finally {
    await dataSource?.destroy();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return ok;
}

// An explicit exit: embedded-postgres's exit hook would otherwise end the
// process with status 0 whatever `process.exitCode` says.
main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
