/** Latencies of one measured window, in milliseconds, without per-sample allocation. */
export class Samples {
  private values = new Float64Array(1 << 14);
  private size = 0;

  add(milliseconds: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = milliseconds;
  }

  get count(): number {
    return this.size;
  }

  toArray(): Float64Array {
    return this.values.slice(0, this.size);
  }
}

/** What one load run saw; the same shape for the HTTP and the SQL scenarios. */
export interface LoadResult {
  /** Latency of every successful operation started inside the measured window. */
  latenciesMs: Float64Array;
  /** From the start of the measured window until the last client stopped. */
  elapsedMs: number;
  /** Outcome → count over the whole run, warm-up included (`200`, `401`, `rotated`, `error`…). */
  outcomes: Record<string, number>;
  /** The first few unexpected outcomes, for the report. */
  failures: string[];
}

export interface Summary {
  operations: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(result: Pick<LoadResult, 'latenciesMs' | 'elapsedMs'>): Summary {
  const sorted = Float64Array.from(result.latenciesMs).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    operations: sorted.length,
    perSecond: result.elapsedMs > 0 ? (sorted.length * 1000) / result.elapsedMs : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
  };
}

/** Outcomes other than the expected one, summed. */
export function unexpected(outcomes: Record<string, number>, expected: string): number {
  return Object.entries(outcomes).reduce((sum, [outcome, count]) => (outcome === expected ? sum : sum + count), 0);
}

/** An operation's outcome; `detail` (e.g. a response body) only goes into the failure list. */
export type Outcome = string | { outcome: string; detail: string };

/** Runs `clients` loops until `durationMs` after a warm-up; records what started inside the window. */
export async function runClosedLoop(options: {
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** One operation of client `client`; resolves to its outcome, or null when the client has nothing left to do. */
  operation: (client: number) => Promise<Outcome | null>;
  expected: string;
  onWindowStart?: () => void;
}): Promise<LoadResult> {
  const samples = new Samples();
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  const startedAt = performance.now();
  const windowStart = startedAt + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const windowTimer = setTimeout(() => options.onWindowStart?.(), Math.max(0, windowStart - performance.now()));

  const client = async (index: number): Promise<void> => {
    while (performance.now() < windowEnd) {
      const began = performance.now();
      let result: Outcome | null;
      let thrown = false;
      try {
        result = await options.operation(index);
      } catch (error) {
        // A thrown error is the infrastructure failing (connection refused, server gone): this client stops.
        result = { outcome: 'error', detail: error instanceof Error ? error.message : String(error) };
        thrown = true;
      }
      if (result === null) return;
      const ended = performance.now();
      const outcome = typeof result === 'string' ? result : result.outcome;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (outcome === options.expected) {
        if (began >= windowStart) samples.add(ended - began);
      } else if (failures.length < 5) {
        failures.push(typeof result === 'string' ? outcome : `${outcome}: ${result.detail.slice(0, 300)}`);
      }
      if (thrown) return;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  clearTimeout(windowTimer);
  return { latenciesMs: samples.toArray(), elapsedMs: Math.max(0, performance.now() - windowStart), outcomes, failures };
}
