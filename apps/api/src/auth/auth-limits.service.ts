import { Inject, Injectable } from '@nestjs/common';
import type { ClientInfo } from '../common/auth-user';
import { rateLimited } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { MetricsService } from '../metrics/metrics.service';
import { addressKey } from '../rate-limit/address-key';
import { Counter } from '../rate-limit/counter';
import { LimiterStore, MemoryLimiterStore } from '../rate-limit/limiter-store';

/**
 * A refresh with a token that is not valid costs this many points in all: a
 * flood of forged or replayed tokens runs out of budget ten times sooner than a
 * client rotating real ones.
 */
export const INVALID_REFRESH_COST = 10;

/** Limits of the other auth endpoints (issue 8.8); sign-in has its own, see SignInLimiter. */
@Injectable()
export class AuthLimits {
  private readonly passwordFailures: Counter;
  private readonly signups: Counter;
  private readonly refreshes: Counter;

  constructor(
    @Inject(APP_CONFIG) config: RuntimeConfig,
    store: LimiterStore,
    private readonly metrics: MetricsService,
  ) {
    const limits = config.rateLimit;
    const counter = (keyPrefix: string, max: number, durationSeconds: number, blockSeconds?: number) =>
      new Counter(store.create({ keyPrefix, points: max, durationSeconds, blockSeconds }), max);
    const passwordWindow = limits.passwordChangeWindowSeconds;
    this.passwordFailures = counter('password_change', limits.passwordChangeMaxFailures, passwordWindow, passwordWindow);
    this.signups = counter('signup', limits.signupMaxPerAddress, limits.signupWindowSeconds);
    // The refresh flood limit stays in this process's memory whatever RATE_LIMIT_STORE says:
    // refresh is the hot path, and a shared store would add a database round trip to every
    // rotation. Behind N replicas an address gets up to N times the budget — acceptable for
    // a flood limit that normal use never approaches (docs/limits.md, ADR 0005).
    this.refreshes = new Counter(
      new MemoryLimiterStore().create({
        keyPrefix: 'refresh',
        points: limits.refreshMaxPerAddress,
        durationSeconds: limits.refreshWindowSeconds,
      }),
      limits.refreshMaxPerAddress,
    );
  }

  /**
   * Per user, before `current_password` is verified. The point is taken up front
   * (one atomic take) so concurrent guesses cannot all slip under the limit; a
   * wrong answer keeps it. Past the limit: 429 for the window, even for the right one.
   */
  async admitPasswordCheck(userId: string): Promise<void> {
    const { wait } = await this.passwordFailures.take(userId);
    if (wait > 0) this.refuse('password_change', 'Too many wrong current passwords', wait);
  }

  async passwordCheckPassed(userId: string): Promise<void> {
    await this.passwordFailures.reset(userId);
  }

  /** Per address, every sign-up that passed validation (each costs an argon2 hash and an account). */
  async takeSignup(client: ClientInfo): Promise<void> {
    const { wait } = await this.signups.take(addressKey(client.ip));
    if (wait > 0) this.refuse('signup', 'Too many sign-ups from this address', wait);
  }

  /**
   * Per address, before anything else on the hot path. Cost: one in-memory map
   * read-and-increment and one promise, no I/O (always local, see the constructor).
   */
  async takeRefresh(client: ClientInfo): Promise<void> {
    const { wait } = await this.refreshes.take(addressKey(client.ip));
    if (wait > 0) this.refuse('refresh', 'Too many refresh requests from this address', wait);
  }

  /** The refresh was refused as invalid: charge the rest of its cost. Runs only on refusals. */
  async refreshWasInvalid(client: ClientInfo): Promise<void> {
    await this.refreshes.add(addressKey(client.ip), INVALID_REFRESH_COST - 1);
  }

  private refuse(limit: string, reason: string, wait: number): never {
    this.metrics.rateLimitRefusal(limit);
    throw rateLimited(reason, wait);
  }
}
