import { Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible';

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

/**
 * Where every limit's counters live. The one place that knows the store: today
 * process memory (one replica); several replicas (issue 14) need a shared store,
 * e.g. rate-limiter-flexible's `RateLimiterPostgres`, and replace only this provider.
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
