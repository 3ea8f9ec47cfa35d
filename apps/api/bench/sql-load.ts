import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { RotateParams, SessionsRepository } from '../src/sessions/sessions.repository';
import { sha256 } from './seed';
import { LoadResult, runClosedLoop } from './stats';

/**
 * A `SessionsRepository` whose `query` goes straight to a `pg` pool instead of
 * TypeORM: the repository's own statement (`ROTATE_SQL` is not exported), parameters
 * and row mapping, with nothing of TypeORM in between.
 */
export function repositoryOverPgPool(pool: Pool): SessionsRepository {
  const dataSource = {
    query: async (sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows,
  } as unknown as DataSource;
  return new SessionsRepository(dataSource);
}

/**
 * The statement `SessionsRepository.rotate` sends, captured from a stand-in
 * DataSource. Fails if rotation ever stops being exactly one statement: this
 * bench's premise, and the hot path's.
 */
export async function captureRotateStatement(params: RotateParams): Promise<string> {
  const statements: string[] = [];
  const standIn = {
    query: (sql: string) => {
      statements.push(sql);
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  await new SessionsRepository(standIn).rotate(params);
  if (statements.length !== 1)
    throw new Error(`SessionsRepository.rotate sent ${statements.length} statements; the bench expects exactly one`);
  return statements[0];
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
