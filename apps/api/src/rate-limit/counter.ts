import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * One limit over a rate-limiter-flexible limiter, in the few operations the
 * auth limits need. A key is *blocked* while its count is above `max` and its
 * record has not expired; `block()` stores `max + 1` for the given time.
 * An expired record reads as absent even before the store deletes it.
 */
export class Counter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly max: number,
  ) {}

  /** Seconds the key must wait before it may try again; 0 when it may. Counts nothing. */
  async wait(key: string): Promise<number> {
    const res = await this.limiter.get(key);
    return res && res.msBeforeNext > 0 && res.consumedPoints > this.max ? seconds(res.msBeforeNext) : 0;
  }

  /** The key's count in its current window (0 when none). */
  async count(key: string): Promise<number> {
    const res = await this.limiter.get(key);
    return res && res.msBeforeNext > 0 ? res.consumedPoints : 0;
  }

  /** Adds points without refusing; returns the new count. */
  async add(key: string, points = 1): Promise<number> {
    return (await this.limiter.penalty(key, points)).consumedPoints;
  }

  /** Takes points if the window has room: 0, or the seconds until it has (one store operation). */
  async take(key: string, points = 1): Promise<number> {
    try {
      await this.limiter.consume(key, points);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return seconds(rejection.msBeforeNext);
      throw rejection; // the store failed: not a refusal
    }
  }

  async block(key: string, forSeconds: number): Promise<void> {
    await this.limiter.block(key, forSeconds);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
