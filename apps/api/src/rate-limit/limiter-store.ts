import { Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';

export interface LimiterOptions {
  /** Namespaces the keys of one limit in a shared store. */
  keyPrefix: string;
  /** Points a key may use per window. */
  points: number;
  /** The window, counted from a key's first point (rate-limiter-flexible's fixed window). */
  durationSeconds: number;
  /** When a take first goes over the points, the key is refused this long (0: until the window ends). */
  blockSeconds?: number;
}

/** The table of the migration `RateLimits1764000000000`. */
export const RATE_LIMIT_TABLE = 'rate_limits';

/**
 * Where every limit's counters live; the one place that knows the store
 * (RATE_LIMIT_STORE chooses, rate-limit.module.ts).
 */
export abstract class LimiterStore {
  abstract create(options: LimiterOptions): RateLimiterAbstract;
}

/** Counters in this process's memory: lost on restart, not shared between replicas. */
@Injectable()
export class MemoryLimiterStore extends LimiterStore {
  create(options: LimiterOptions): RateLimiterAbstract {
    return new RateLimiterMemory({
      keyPrefix: options.keyPrefix,
      points: options.points,
      duration: options.durationSeconds,
      blockDuration: options.blockSeconds ?? 0,
    });
  }
}

/**
 * Counters in PostgreSQL's UNLOGGED `rate_limits` table, shared by every replica:
 * each take is one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`, so concurrent
 * requests on any replicas are counted exactly once each.
 *
 * Runs on the API's own pool, so every call has the request bounds of data-source.ts
 * (connect + query timeouts): a slow or absent database makes the limited request
 * fail with 503 in bounded time (fail closed, docs/scaling.md), never hang it.
 * The library must create nothing (`tableCreated`: the API role cannot) and must not
 * run its own per-limiter cleanup timer: the sweeper deletes expired rows, once.
 */
@Injectable()
export class PostgresLimiterStore extends LimiterStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  create(options: LimiterOptions): RateLimiterAbstract {
    return new RateLimiterPostgres({
      storeClient: this.dataSource,
      storeType: 'typeorm',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: options.keyPrefix,
      points: options.points,
      duration: options.durationSeconds,
      blockDuration: options.blockSeconds ?? 0,
    });
  }
}
