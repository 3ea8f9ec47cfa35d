import { Agent, request } from 'node:http';
import { LoadResult, Outcome, runClosedLoop } from './stats';

/**
 * The HTTP load generator. It runs in its own process (forked by refresh.bench.ts),
 * so its JavaScript does not share the API's event loop and its CPU is counted apart.
 * Closed loop: each of `concurrency` clients sends its next request when the previous
 * answer arrived, over its own keep-alive connection.
 */
export interface HttpLoadSpec {
  port: number;
  /** `refresh`: POST /api/auth/refresh, chaining each answer's refresh token; `get`: GET `path`. */
  mode: 'refresh' | 'get';
  path: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  requestTimeoutMs: number;
  /** refresh: one refresh token per session; get: bearer tokens used round-robin (empty: no token). */
  tokens: string[];
  userAgent: string;
}

export type ParentMessage = { type: 'run'; spec: HttpLoadSpec };
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'window-start' }
  | { type: 'result'; output: HttpLoadOutput; cpuSeconds: number; windowMs: number };

export interface HttpLoadOutput {
  result: LoadResult;
  /** refresh: each session's latest refresh token, '' where the chain broke (to continue in a later round); get: null. */
  tokens: string[] | null;
}

interface Answer {
  status: number;
  body: string;
}

function send(
  agent: Agent,
  spec: HttpLoadSpec,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body: string | null,
  readBody: boolean,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: spec.port, method, path, agent, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (!readBody && status === 200) {
        res.resume();
        res.on('end', () => resolve({ status, body: '' }));
      } else {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      }
      res.on('error', reject);
    });
    req.setTimeout(spec.requestTimeoutMs, () => req.destroy(new Error(`no answer within ${spec.requestTimeoutMs} ms`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

export async function runHttpLoad(spec: HttpLoadSpec, onWindowStart: () => void): Promise<HttpLoadOutput> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency, maxFreeSockets: spec.concurrency });
  const base = { 'user-agent': spec.userAgent, accept: 'application/json' };
  try {
    if (spec.mode === 'refresh') {
      // Client c owns sessions c, c + C, c + 2C…; a session whose rotation failed leaves its client's round.
      const tokens = [...spec.tokens];
      const owned = Array.from({ length: spec.concurrency }, (_, c) => tokens.map((_, i) => i).filter((i) => i % spec.concurrency === c));
      const cursor = new Array<number>(spec.concurrency).fill(0);
      const broken = new Set<number>();
      const headers = { ...base, 'content-type': 'application/json' };
      const result = await runClosedLoop({
        clients: spec.concurrency,
        warmupMs: spec.warmupMs,
        durationMs: spec.durationMs,
        expected: '200',
        onWindowStart,
        operation: async (client): Promise<Outcome | null> => {
          const mine = owned[client];
          if (mine.length === 0) return null;
          const position = cursor[client]++ % mine.length;
          const session = mine[position];
          let answer: Answer;
          try {
            answer = await send(
              agent,
              spec,
              'POST',
              '/api/auth/refresh',
              headers,
              JSON.stringify({ refresh_token: tokens[session] }),
              true,
            );
          } catch (error) {
            broken.add(session); // the server may or may not have rotated it
            throw error;
          }
          const next = answer.status === 200 ? (JSON.parse(answer.body) as { refresh_token?: unknown }).refresh_token : undefined;
          if (typeof next === 'string') {
            tokens[session] = next;
            return '200';
          }
          mine.splice(position, 1);
          broken.add(session);
          return { outcome: answer.status === 200 ? '200 without refresh_token' : String(answer.status), detail: answer.body };
        },
      });
      return { result, tokens: tokens.map((token, i) => (broken.has(i) ? '' : token)) };
    }
    let next = 0;
    const result = await runClosedLoop({
      clients: spec.concurrency,
      warmupMs: spec.warmupMs,
      durationMs: spec.durationMs,
      expected: '200',
      onWindowStart,
      operation: async (): Promise<Outcome> => {
        const headers: Record<string, string> = { ...base };
        if (spec.tokens.length) headers['authorization'] = `Bearer ${spec.tokens[next++ % spec.tokens.length]}`;
        const answer = await send(agent, spec, 'GET', spec.path, headers, null, false);
        return answer.status === 200 ? '200' : { outcome: String(answer.status), detail: answer.body };
      },
    });
    return { result, tokens: null };
  } finally {
    agent.destroy();
  }
}

/** Child process entry: one `run` message in, `window-start` and `result` out, then exit. */
function child(): void {
  const reply = (message: ChildMessage) =>
    new Promise<void>((resolve) => {
      if (!process.send) return resolve();
      process.send(message, undefined, {}, () => resolve());
    });
  const cpuSeconds = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  // Never outlive the bench: the parent going away ends this process.
  process.on('disconnect', () => process.exit(3));
  process.once('message', (message: ParentMessage) => {
    let cpuAtWindow = 0;
    let windowAt = 0;
    const onWindowStart = () => {
      cpuAtWindow = cpuSeconds();
      windowAt = performance.now();
      void reply({ type: 'window-start' });
    };
    runHttpLoad(message.spec, onWindowStart)
      .then(async (output) => {
        const windowMs = windowAt ? performance.now() - windowAt : 0;
        await reply({ type: 'result', output, cpuSeconds: windowAt ? cpuSeconds() - cpuAtWindow : 0, windowMs });
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`http load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      });
  });
  void reply({ type: 'ready' });
}

if (require.main === module) child();
