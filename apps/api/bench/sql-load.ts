import { randomUUID } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { Prepared, PreparedQueries } from '../src/database/prepared';
import { ROTATE_SQL, RotateParams, SessionsRepository } from '../src/sessions/sessions.repository';
import { sha256 } from './seed';
import { LoadResult, runClosedLoop } from './stats';

/**
 * A `SessionsRepository` whose statements go straight to a `pg` pool instead of
 * TypeORM's: the repository's own statements, parameters and row mapping.
 * `prepare` false sends the rotation unnamed (parsed and planned on every call, as
 * before issue 11), for comparison in the same run.
 */
export function repositoryOverPgPool(pool: Pool, prepare = true): SessionsRepository {
  const dataSource = {
    query: async (sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows,
  } as unknown as DataSource;
  const queries = {
    rows: async (statement: Prepared<readonly unknown[], QueryResultRow>, values: readonly unknown[]) =>
      (
        await pool.query(
          prepare ? { name: statement.name, text: statement.text, values: [...values] } : { text: statement.text, values: [...values] },
        )
      ).rows,
  } as unknown as PreparedQueries;
  return new SessionsRepository(dataSource, queries);
}

/** The rotation statement exactly as the API sends it (the bench's premise: one statement). */
export function rotateStatement(): string {
  return ROTATE_SQL.text;
}

export interface SqlLoadSpec {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** SHA-256 of the current refresh token `jti` of each session; advanced as tokens rotate. */
  chains: Buffer[];
  /** Everything of RotateParams but the two hashes and `now`. */
  fixed: Omit<RotateParams, 'presentedJtiHash' | 'successorJtiHash' | 'now'>;
  /** One rotation; true when it rotated (a successor was inserted). */
  rotate: (params: RotateParams) => Promise<boolean>;
  onWindowStart?: () => void;
}

/** Closed-loop rotations without HTTP or JWT: client c rotates sessions c, c + C, c + 2C… */
export function runSqlLoad(spec: SqlLoadSpec): Promise<LoadResult> {
  const owned = Array.from({ length: spec.concurrency }, (_, c) => spec.chains.map((_, i) => i).filter((i) => i % spec.concurrency === c));
  const cursor = new Array<number>(spec.concurrency).fill(0);
  return runClosedLoop({
    clients: spec.concurrency,
    warmupMs: spec.warmupMs,
    durationMs: spec.durationMs,
    expected: 'rotated',
    onWindowStart: spec.onWindowStart,
    operation: async (client) => {
      const mine = owned[client];
      if (mine.length === 0) return null;
      const position = cursor[client]++ % mine.length;
      const session = mine[position];
      // The same per-request work as RefreshService around the statement: a new jti and its hash.
      const successor = sha256(randomUUID());
      const rotated = await spec.rotate({
        ...spec.fixed,
        presentedJtiHash: spec.chains[session],
        successorJtiHash: successor,
        now: new Date(),
      });
      if (!rotated) {
        mine.splice(position, 1);
        return { outcome: 'not rotated', detail: `session #${session}` };
      }
      spec.chains[session] = successor;
      return 'rotated';
    },
  });
}
