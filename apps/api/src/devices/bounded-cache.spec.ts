import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('computes a key once while it stays cached', () => {
    const cache = new BoundedCache<string, number>(3);
    const compute = jest.fn((key: string) => key.length);

    expect(cache.getOrCompute('abc', compute)).toBe(3);
    expect(cache.getOrCompute('abc', compute)).toBe(3);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('caches null answers too', () => {
    const cache = new BoundedCache<string, string | null>(2);
    const compute = jest.fn(() => null);

    cache.getOrCompute('x', compute);
    cache.getOrCompute('x', compute);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('never holds more than its capacity, dropping the least recently used key', () => {
    const cache = new BoundedCache<number, number>(3);
    const square = (n: number) => n * n;
    for (const n of [1, 2, 3]) cache.getOrCompute(n, square);
    cache.getOrCompute(1, square); // 1 is now the most recently used; 2 the least
    cache.getOrCompute(4, square);

    expect(cache.size).toBe(3);
    expect(cache.has(2)).toBe(false);
    expect([1, 3, 4].every((n) => cache.has(n))).toBe(true);

    for (let n = 100; n < 1100; n++) cache.getOrCompute(n, square);
    expect(cache.size).toBe(3);
    expect(cache.getOrCompute(1099, () => -1)).toBe(1099 * 1099);
  });

  it('does not cache a computation that throws', () => {
    const cache = new BoundedCache<string, number>(2);
    expect(() =>
      cache.getOrCompute('boom', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(cache.has('boom')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %p', (capacity) => {
    expect(() => new BoundedCache(capacity)).toThrow(RangeError);
  });
});
