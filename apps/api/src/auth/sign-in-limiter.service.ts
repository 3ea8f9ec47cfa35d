import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientInfo } from '../common/auth-user';
import { rateLimited } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { MetricsService } from '../metrics/metrics.service';
import { addressKey } from '../rate-limit/address-key';
import { Counter } from '../rate-limit/counter';
import { LimiterStore } from '../rate-limit/limiter-store';

const REFUSAL = 'Too many failed sign-in attempts';
/** Counts failures only; no limit of its own (the email's waits grow with it). */
const UNCOUNTED = 1_000_000_000;

interface Keys {
  pair: string;
  address: string;
  email: string;
}

/**
 * Password sign-in limits (OWASP "login endpoint protection", issue 8.7). Only
 * failures count, and nothing here can keep a stranger's failures from letting
 * the right password in from an address that has not been failing:
 *
 * - per (email, address) pair: `loginMaxFailuresPerPair` failures, then that pair
 *   waits out the window. Guessing one account from one place.
 * - per address: `loginMaxFailuresPerAddress` failures across all emails, then
 *   that address waits out the window. Spraying many accounts from one place.
 * - per email: after `loginEmailFreeFailures` failures from anywhere, each further
 *   failure makes *addresses that have failed on this email* wait, base × 2ⁿ up
 *   to the max. Many addresses guessing one account are slowed down together,
 *   while an address with no failure on the email is still let through to the
 *   password check (it answers 401 or 200 like any other attempt).
 *
 * A refused attempt verifies no password (no argon2 cost) and counts nothing.
 * A success resets its pair only: the email's and the address's counts stay, so
 * an attacker who also holds one account cannot wash their failures away.
 */
@Injectable()
export class SignInLimiter {
  private readonly logger = new Logger(SignInLimiter.name);
  private readonly pairs: Counter;
  private readonly addresses: Counter;
  private readonly emailFailures: Counter;
  private readonly emailWaits: Counter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    store: LimiterStore,
    private readonly metrics: MetricsService,
  ) {
    const limits = config.rateLimit;
    const window = limits.loginFailureWindowSeconds;
    const counter = (keyPrefix: string, max: number, durationSeconds = window) =>
      new Counter(store.create({ keyPrefix, points: max, durationSeconds }), max);
    this.pairs = counter('login_pair', limits.loginMaxFailuresPerPair);
    this.addresses = counter('login_address', limits.loginMaxFailuresPerAddress);
    this.emailFailures = counter('login_email', UNCOUNTED);
    this.emailWaits = counter('login_email_wait', 0, limits.loginEmailDelayMaxSeconds);
  }

  /** Throws 429 `rate_limited` when this attempt must not even be checked. */
  async assertMayTry(email: string, client: ClientInfo): Promise<void> {
    const keys = this.keys(email, client);
    const [pairWait, addressWait, pairFailures, emailWait] = await Promise.all([
      this.pairs.wait(keys.pair),
      this.addresses.wait(keys.address),
      this.pairs.count(keys.pair),
      this.emailWaits.wait(keys.email),
    ]);
    const waits: [string, number][] = [
      ['login_pair', pairWait],
      ['login_address', addressWait],
      // The email's wait binds only addresses that failed on it: a clean address is never refused.
      ['login_email', pairFailures > 0 ? emailWait : 0],
    ];
    const [limit, wait] = waits.reduce((longest, candidate) => (candidate[1] > longest[1] ? candidate : longest));
    if (wait === 0) return;
    this.metrics.rateLimitRefusal(limit);
    throw rateLimited(REFUSAL, wait);
  }

  /** Records a verified wrong password (or unknown email, or inactive user: all look the same). */
  async recordFailure(email: string, client: ClientInfo): Promise<void> {
    const keys = this.keys(email, client);
    const limits = this.config.rateLimit;
    const [pairFailures, addressFailures, emailFailures] = await Promise.all([
      this.pairs.add(keys.pair),
      this.addresses.add(keys.address),
      this.emailFailures.add(keys.email),
    ]);
    const window = limits.loginFailureWindowSeconds;
    if (pairFailures >= this.pairs.max) await this.pairs.block(keys.pair, window);
    if (addressFailures >= this.addresses.max) await this.addresses.block(keys.address, window);
    const over = emailFailures - limits.loginEmailFreeFailures;
    if (over > 0) {
      await this.emailWaits.block(
        keys.email,
        Math.min(limits.loginEmailDelayMaxSeconds, limits.loginEmailDelayBaseSeconds * 2 ** (over - 1)),
      );
    }
    if (pairFailures === this.pairs.max || addressFailures === this.addresses.max) {
      // Once per block, never per refused request: the log must not become the flood.
      this.logger.warn(
        { event: 'auth.login_limited', ip: client.ip, pairFailures, addressFailures },
        'sign-in failures over the limit: refusing this client for a while',
      );
    }
  }

  /** The right password from this address: its pair starts clean. */
  async recordSuccess(email: string, client: ClientInfo): Promise<void> {
    await this.pairs.reset(this.keys(email, client).pair);
  }

  private keys(email: string, client: ClientInfo): Keys {
    const normalized = email.trim().toLowerCase();
    const address = addressKey(client.ip);
    return { pair: `${normalized}|${address}`, address, email: normalized };
  }
}
