/**
 * A least-recently-used cache of at most `capacity` entries, for pure functions on the
 * request path whose inputs repeat (a device list parses the same few user agents and
 * looks up the same few addresses on every request). A `Map` keeps insertion order, so
 * the first key is the least recently used one: a hit moves its key to the end, and an
 * insert past the capacity drops the first. Hostile inputs (a new user agent per sign-in)
 * can only turn hits into misses, never grow memory past the bound.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value of `key`, or `compute(key)` (cached) on a miss. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    const entries = this.entries;
    if (entries.has(key)) {
      const value = entries.get(key) as V;
      entries.delete(key);
      entries.set(key, value);
      return value;
    }
    const value = compute(key);
    if (entries.size >= this.capacity) entries.delete(entries.keys().next().value as K);
    entries.set(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
