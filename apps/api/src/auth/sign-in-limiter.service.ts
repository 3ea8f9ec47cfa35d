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
 * One admitted sign-in attempt. Its pair and address points are taken up front
 * (so a burst of concurrent guesses cannot all slip under the limit) and settle
 * as a failure (kept), a success (pair cleared, address point given back) or
 * neither, e.g. the database failed (both given back).
 */
export class SignInAttempt {
  private settled = false;

  constructor(
    private readonly limiter: SignInLimiter,
    readonly keys: Keys,
  ) {}

  async failed(): Promise<void> {
    this.settled = true;
    await this.limiter.settleFailure(this);
  }

  async succeeded(): Promise<void> {
    this.settled = true;
    await this.limiter.settleSuccess(this);
  }

  /** Gives the points back unless the attempt already settled. Safe to call in `finally`. */
  async release(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.limiter.refund(this.keys);
  }
}

/**
 * Password sign-in limits (OWASP "login endpoint protection", issue 8.7). Only
 * failures count, and nothing here can keep a stranger's failures from letting
 * the right password in from an address that has not been failing:
 *
 * - per (email, address) pair: `loginMaxFailuresPerPair` failures, then that pair
 *   is refused for the window. Guessing one account from one place.
 * - per address: `loginMaxFailuresPerAddress` failures across all emails, then
 *   that address is refused for the window. Spraying many accounts from one place.
 * - per email: after `loginEmailFreeFailures` failures from anywhere, each further
 *   failure makes *addresses that have failed on this email* wait, base × 2ⁿ up
 *   to the max. Many addresses guessing one account are slowed down together,
 *   while an address with no failure on the email is still let through to the
 *   password check (it answers 401 or 200 like any other attempt).
 *
 * A refused attempt verifies no password (no argon2 cost) and counts nothing.
 * A success clears its pair only: the email's and the address's failures stay, so
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
    const counter = (keyPrefix: string, max: number, durationSeconds: number, blockSeconds?: number) =>
      new Counter(store.create({ keyPrefix, points: max, durationSeconds, blockSeconds }), max);
    this.pairs = counter('login_pair', limits.loginMaxFailuresPerPair, window, window);
    this.addresses = counter('login_address', limits.loginMaxFailuresPerAddress, window, window);
    this.emailFailures = counter('login_email', UNCOUNTED, window);
    this.emailWaits = counter('login_email_wait', 0, limits.loginEmailDelayMaxSeconds);
  }

  /**
   * Admits an attempt to the password check, or throws 429 `rate_limited` without checking anything.
   *
   * One store operation at a time, and only those the answer needs: a clean sign-in takes
   * its pair point, then its address point (two statements on the PostgreSQL store, one
   * pooled connection at a time) — the email's wait is read only for an address that has
   * failed on this email. Run side by side, the three held three of the pool's connections
   * per sign-in while the password check waited anyway (issue 11).
   */
  async admit(email: string, client: ClientInfo): Promise<SignInAttempt> {
    const keys = this.keys(email, client);
    const pair = await this.pairs.take(keys.pair);
    // The email's wait binds only addresses that failed on it (counted before this
    // attempt, concurrent ones included): a clean address is never refused.
    const failedBefore = pair.count > 1;
    if (pair.wait > 0) {
      // Refused already: the address's and the email's waits are only read, for Retry-After.
      // A take refused by its own limit stays counted: given back, the next take would
      // count as the first one over and restart the block.
      const address = await this.addresses.wait(keys.address);
      const emailWait = await this.emailWaits.wait(keys.email);
      this.refuse(client, [
        ['login_pair', pair.wait, pair.count === this.pairs.max + 1],
        ['login_address', address, false],
        ['login_email', emailWait, false],
      ]);
    }
    const address = await this.addresses.take(keys.address);
    const emailWait = failedBefore ? await this.emailWaits.wait(keys.email) : 0;
    if (address.wait === 0 && emailWait === 0) return new SignInAttempt(this, keys);
    // Give back what was admitted: the pair point, and the address point unless it refused.
    await this.pairs.refund(keys.pair);
    if (address.wait === 0) await this.addresses.refund(keys.address);
    this.refuse(client, [
      ['login_address', address.wait, address.count === this.addresses.max + 1],
      ['login_email', emailWait, false],
    ]);
  }

  /** Throws 429 with the longest of the binding waits (Retry-After), counted under its limit. */
  private refuse(client: ClientInfo, waits: [limit: string, wait: number, firstOfBlock: boolean][]): never {
    const [limit, wait] = waits.reduce((longest, candidate) => (candidate[1] > longest[1] ? candidate : longest));
    if (waits.some(([, , first]) => first)) {
      // The first refusal of a block, never each one: the log must not become the flood.
      this.logger.warn(
        { event: 'auth.login_limited', limit, ip: client.ip },
        'sign-in failures over the limit: refusing this client for a while',
      );
    }
    this.metrics.rateLimitRefusal(limit);
    throw rateLimited(REFUSAL, wait);
  }

  /** @internal via {@link SignInAttempt.failed}: a verified wrong password, unknown email or inactive user. */
  async settleFailure({ keys }: SignInAttempt): Promise<void> {
    const limits = this.config.rateLimit;
    const emailFailures = await this.emailFailures.add(keys.email);
    const over = emailFailures - limits.loginEmailFreeFailures;
    if (over > 0) {
      const wait = Math.min(limits.loginEmailDelayMaxSeconds, limits.loginEmailDelayBaseSeconds * 2 ** (over - 1));
      await this.emailWaits.block(keys.email, wait);
    }
  }

  /** @internal via {@link SignInAttempt.succeeded}: the pair starts clean; the success was no address failure. */
  async settleSuccess({ keys }: SignInAttempt): Promise<void> {
    // One after the other: one pooled connection per sign-in, never two.
    await this.pairs.reset(keys.pair);
    await this.addresses.refund(keys.address);
  }

  /** @internal: gives back the points an attempt took. */
  async refund(keys: Keys): Promise<void> {
    await this.pairs.refund(keys.pair);
    await this.addresses.refund(keys.address);
  }

  private keys(email: string, client: ClientInfo): Keys {
    const normalized = email.trim().toLowerCase();
    const address = addressKey(client.ip);
    return { pair: `${normalized}|${address}`, address, email: normalized };
  }
}
