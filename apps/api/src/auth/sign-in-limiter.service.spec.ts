import { loadConfig } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { MetricsService } from '../metrics/metrics.service';
import { MemoryLimiterStore } from '../rate-limit/limiter-store';
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
});
