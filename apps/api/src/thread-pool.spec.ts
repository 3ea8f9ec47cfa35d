import { sizeThreadPool, threadPoolSize } from './thread-pool';

describe('threadPoolSize (UV_THREADPOOL_SIZE at start, issue 11)', () => {
  it('leaves 2 threads beside one argon2 computation per core, never fewer than libuv’s 4', () => {
    expect(threadPoolSize({}, 2)).toBe(4);
    expect(threadPoolSize({}, 8)).toBe(10);
    expect(threadPoolSize({ ARGON2_CONCURRENCY: '6' }, 2)).toBe(8);
    expect(threadPoolSize({ ARGON2_CONCURRENCY: 'lots' }, 16)).toBe(18);
  });

  it("never overrides the operator's UV_THREADPOOL_SIZE", () => {
    const env: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '3' };
    sizeThreadPool(env, 64);
    expect(env['UV_THREADPOOL_SIZE']).toBe('3');
    const unset: NodeJS.ProcessEnv = {};
    sizeThreadPool(unset, 64);
    expect(unset['UV_THREADPOOL_SIZE']).toBe('66');
  });
});
