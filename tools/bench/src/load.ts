import autocannon = require('autocannon');
import { Samples, type LoadResult } from './stats';

/**
 * HTTP load from autocannon's programmatic API: `connections` keep-alive connections, each
 * with one request in flight (closed loop). Each connection gets its own script from
 * `client(index)`, so a connection can carry state between its requests — a refresh
 * connection presents the token its previous answer returned (its own session's chain).
 * Latency and outcome of every response are recorded here (autocannon's own histogram
 * cannot tell the warm-up from the window, nor merge runs), and only responses that
 * complete inside the measured window count.
 */
export interface ClientScript {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  /** The body of the next request (called before each one). */
  body?: () => string;
  /** Sees every answer before the connection sends its next request. */
  onResponse?: (status: number, body: string) => void;
}

export interface HttpLoadSpec {
  /** One or more servers; connections are spread over them round robin. */
  urls: string[];
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** The script of connection `index` (0..connections-1). */
  client: (index: number) => ClientScript;
  /** The status every answer should have. */
  expectedStatus: number;
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

// Generous: a busy machine is slow, not broken (a lost answer also breaks a refresh chain).
const REQUEST_TIMEOUT_S = 60;

export function runHttpLoad(spec: HttpLoadSpec): Promise<LoadResult> {
  const samples = new Samples();
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  const started = performance.now();
  const windowStart = started + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  let next = 0;
  const expected = String(spec.expectedStatus);

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.urls,
        connections: spec.connections,
        // Stopped by the timer below; this is only the backstop.
        duration: Math.ceil((spec.warmupMs + spec.durationMs) / 1000) + 30,
        timeout: REQUEST_TIMEOUT_S,
        sampleInt: 50,
        setupClient: (client) => {
          const script = spec.client(next++);
          client.setRequests([
            {
              method: script.method,
              path: script.path,
              headers: script.headers,
              setupRequest: (request) => (script.body ? { ...request, body: script.body() } : request),
              onResponse: (status, body) => {
                if (String(status) !== expected && failures.length < 5) failures.push(`${status}: ${body.slice(0, 300)}`);
                script.onResponse?.(status, body);
              },
            },
          ]);
          client.on('response', (status: number, _bytes: number, durationMs: number) => {
            const now = performance.now();
            const outcome = String(status);
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            if (outcome === expected && now >= windowStart && now <= windowEnd) samples.add(durationMs);
          });
          client.on('timeout', () => {
            outcomes['timeout'] = (outcomes['timeout'] ?? 0) + 1;
            if (failures.length < 5) failures.push(`no answer within ${REQUEST_TIMEOUT_S} s`);
          });
          client.on('connError', (error: Error) => {
            outcomes['connection error'] = (outcomes['connection error'] ?? 0) + 1;
            if (failures.length < 5) failures.push(`connection error: ${error.message}`);
          });
        },
      },
      (error) => {
        clearTimeout(startTimer);
        clearTimeout(stopTimer);
        if (error) reject(error);
        else resolve({ latenciesMs: samples.toArray(), elapsedMs: spec.durationMs, outcomes, failures });
      },
    );
    const startTimer = setTimeout(() => spec.onWindowStart?.(), spec.warmupMs);
    const stopTimer = setTimeout(() => {
      spec.onWindowEnd?.();
      instance.stop();
    }, spec.warmupMs + spec.durationMs);
  });
}
