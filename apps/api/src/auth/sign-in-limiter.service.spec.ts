import { loadConfig } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { MetricsService } from '../metrics/metrics.service';
import { LimiterOptions, MemoryLimiterStore } from '../rate-limit/limiter-store';
import { SignInLimiter } from './sign-in-limiter.service';

describe('SignInLimiter (real in-memory store)', () => {
  const client = { ip: '198.51.100.9', userAgent: null };
  let sut: SignInLimiter;

  beforeEach(() => {
    const config = { ...loadConfig({ LOGIN_MAX_FAILURES_PER_PAIR: '2', LOGIN_MAX_FAILURES_PER_ADDRESS: '3' }) } as RuntimeConfig;
    sut = new SignInLimiter(config, new MemoryLimiterStore(), new MetricsService());
  });

  const outcome = (email: string) =>
    sut.admit(email, client).then(
      (attempt) => attempt,
      (error: { code?: string }) => error.code,
    );

  it('gives the points back when an attempt neither failed nor succeeded (e.g. the database failed)', async () => {
    for (let i = 0; i < 5; i++) {
      const attempt = await sut.admit('a@example.test', client);
      await attempt.release();
    }
    const attempt = await sut.admit('a@example.test', client);
    await attempt.failed();
    await attempt.release(); // after settling: a no-op, the failure stays counted
    await (await sut.admit('a@example.test', client)).failed();
    expect(await outcome('a@example.test')).toBe('rate_limited');
  });

  it('does not count a success against the address', async () => {
    for (let i = 0; i < 5; i++) await (await sut.admit(`user${i}@example.test`, client)).succeeded();
    expect(await outcome('other@example.test')).not.toBe('rate_limited');
  });

  it('keeps refusing a blocked pair without restarting its block', async () => {
    // rate-limiter-flexible reads Date.now(): fake Date only, to move it without sleeping.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'queueMicrotask'] });
    try {
      for (let i = 0; i < 2; i++) await (await sut.admit('b@example.test', client)).failed();
      const retryAfter = () =>
        sut.admit('b@example.test', client).then(
          () => 'admitted',
          (error: { headers?: Record<string, string> }) => error.headers?.['retry-after'],
        );
      expect(await retryAfter()).toBe('3600');
      jest.setSystemTime(Date.now() + 3000 * 1000);
      expect(await retryAfter()).toBe('600');
      jest.setSystemTime(Date.now() + 600 * 1000);
      expect(await retryAfter()).toBe('admitted');
    } finally {
      jest.useRealTimers();
    }
  });

  describe('store operations per attempt (each one a statement on the PostgreSQL store, issue 11)', () => {
    /** The in-memory store, logging each operation and how many ran at once. */
    class CountingStore extends MemoryLimiterStore {
      readonly log: string[] = [];
      inFlight = 0;
      mostInFlight = 0;

      override create(options: LimiterOptions) {
        const limiter = super.create(options);
        for (const method of ['consume', 'get', 'reward', 'penalty', 'block', 'delete'] as const) {
          const original = (limiter[method] as (...args: unknown[]) => Promise<unknown>).bind(limiter);
          (limiter as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
            this.log.push(`${method} ${options.keyPrefix}`);
            this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
            // A store round trip: let anything running side by side show up.
            await new Promise((resolve) => setImmediate(resolve));
            try {
              return await original(...args);
            } finally {
              this.inFlight--;
            }
          };
        }
        return limiter;
      }
    }

    let store: CountingStore;

    beforeEach(() => {
      store = new CountingStore();
      const config = { ...loadConfig({ LOGIN_MAX_FAILURES_PER_PAIR: '2', LOGIN_MAX_FAILURES_PER_ADDRESS: '3' }) } as RuntimeConfig;
      sut = new SignInLimiter(config, store, new MetricsService());
    });

    it('a clean sign-in: four operations, one at a time (pair and address taken, pair cleared, address point back)', async () => {
      const attempt = await sut.admit('clean@example.test', client);
      await attempt.succeeded();
      await attempt.release();
      expect(store.log).toEqual(['consume login_pair', 'consume login_address', 'delete login_pair', 'reward login_address']);
      expect(store.mostInFlight).toBe(1);
    });

    it("reads the email's wait only for an address that failed on the email before", async () => {
      await (await sut.admit('c@example.test', client)).failed();
      store.log.length = 0;
      await sut.admit('c@example.test', client);
      expect(store.log).toEqual(['consume login_pair', 'consume login_address', 'get login_email_wait']);
    });

    it('a refused pair takes nothing more: its Retry-After is the longest wait that binds', async () => {
      for (let i = 0; i < 2; i++) await (await sut.admit('d@example.test', client)).failed();
      store.log.length = 0;
      expect(await outcome('d@example.test')).toBe('rate_limited');
      expect(store.log).toEqual(['consume login_pair', 'get login_address', 'get login_email_wait']);
      expect(store.mostInFlight).toBe(1);
    });
  });
});
