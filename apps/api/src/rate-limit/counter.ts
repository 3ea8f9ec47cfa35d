import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The answer of a take: `wait` 0 means admitted; `count` is the key's count including this take. */
export interface Take {
  wait: number;
  count: number;
}

/**
 * One limit over a rate-limiter-flexible limiter, in the few operations the
 * auth limits need. A key is *blocked* while its count is above `max` and its
 * record has not expired (`take` past the points, or `block`). An expired
 * record reads as absent even before the store deletes it.
 */
export class Counter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly max: number,
  ) {}

  /**
   * Counts `points` and says whether they fit, in one atomic store operation, so
   * that concurrent requests cannot all pass a check before any of them is counted.
   */
  async take(key: string, points = 1): Promise<Take> {
    try {
      const res = await this.limiter.consume(key, points);
      return { wait: 0, count: res.consumedPoints };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { wait: seconds(rejection.msBeforeNext), count: rejection.consumedPoints };
      throw rejection; // the store failed: not a refusal
    }
  }

  /** Gives back points taken for something that turned out not to count. */
  async refund(key: string, points = 1): Promise<void> {
    await this.limiter.reward(key, points);
  }

  /** Seconds the key must wait before it may try again; 0 when it may. Counts nothing. */
  async wait(key: string): Promise<number> {
    const res = await this.limiter.get(key);
    return res && res.msBeforeNext > 0 && res.consumedPoints > this.max ? seconds(res.msBeforeNext) : 0;
  }

  /** Adds points without refusing; returns the new count. */
  async add(key: string, points = 1): Promise<number> {
    return (await this.limiter.penalty(key, points)).consumedPoints;
  }

  async block(key: string, forSeconds: number): Promise<void> {
    await this.limiter.block(key, forSeconds);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
