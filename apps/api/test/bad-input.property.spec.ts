import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { PROBLEM_CODES } from '../src/common/problem';
import { FuzzRequest, rawRequestFor, requestFor } from './bad-input-arbitraries';
import { login, signupOwner, SignedInUser } from './builders';
import { listOperations } from './openapi-operations';
import { rawRequest } from './raw-http';
import { createTestApp, TestApp } from './test-app';

/**
 * Property: whatever arrives — wrong types, missing and extra fields, huge and odd
 * Unicode strings, NUL, lone surrogates, deep nesting, `__proto__` keys, bad ids, wrong
 * content types, broken and oversized bodies, long paths and headers — the answer is a
 * success or a 4xx problem+json with a contract `code`; never a 5xx, never internals;
 * and a refused request changes no row.
 *
 * `npm test` runs a small slice; `npm run fuzz` sets FUZZ_RUNS (≥ 10,000).
 */
const TOTAL_RUNS = Number(process.env['FUZZ_RUNS'] ?? 360);
const SOCKET_RUNS = Math.max(30, Math.round(TOTAL_RUNS / 20));
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : undefined;

/** Rows a refused request may add: a failed sign-in or step-up is itself recorded (that is the audit log's job). */
const AUDIT_ROWS_OF_REFUSALS = ['auth.login_failed', 'auth.reauthentication_failed'];
/** Counters of rate limiters, if one keeps them in PostgreSQL: a refusal is what they count. */
const COUNTER_TABLE = /rate_?limit|limiter/i;

const INTERNALS =
  /QueryFailedError|TypeORMError|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.*\bSET\b|node_modules|\.[jt]s:\d+|\n\s+at |stack/i;

const operations = listOperations();

/** Failure reports with a short counterexample (a deep body would print megabytes) and the seed to replay it. */
const params = (numRuns: number): fc.Parameters<[unknown]> => ({
  numRuns,
  seed: SEED,
  endOnFailure: true,
  reporter: (details) => {
    if (!details.failed) return;
    const example = JSON.stringify(details.counterexample ?? null);
    const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `property failed after ${details.numRuns} runs (replay with FUZZ_SEED=${details.seed}):\n${message.slice(0, 1_500)}\ncounterexample: ${example.slice(0, 800)}${example.length > 800 ? '…' : ''}`,
    );
  },
});
const runsPerOperation = Math.max(10, Math.ceil(TOTAL_RUNS / operations.length));

describe('bad input never gives a 5xx or changes a row (fast-check, every operation of openapi.json)', () => {
  let t: TestApp;
  let caller: SignedInUser;
  let port: number;
  let tables: string[] = [];
  const figures = {
    cases: 0,
    socketCases: 0,
    operations: new Set<string>(),
    refused: 0,
    succeeded: 0,
    rowsChecked: 0,
    snapshots: 0,
    kinds: new Map<string, number>(),
  };

  beforeAll(async () => {
    t = await createTestApp();
    caller = await signupOwner(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    const rows: { name: string }[] = await t.db.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    );
    tables = rows.map((row) => row.name).filter((name) => !COUNTER_TABLE.test(name));
  });

  afterAll(async () => {
    await t.close();
    const kinds = [...figures.kinds.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`);
    process.stdout.write(
      [
        `bad-input property suite: ${figures.cases + figures.socketCases} cases tried (${figures.cases} through Fastify inject, ${figures.socketCases} over a socket)`,
        `  operations covered: ${figures.operations.size}/${operations.length}; refused ${figures.refused}, succeeded ${figures.succeeded}; 5xx: 0`,
        `  row snapshots compared: ${figures.snapshots} (${tables.length} tables, ${figures.rowsChecked} rows checked in all)`,
        `  kinds: ${kinds.join(', ')}`,
        '',
      ].join('\n'),
    );
  });

  /** One checksum per table (ordered rows as text), so any insert, update or delete shows. */
  async function snapshot(): Promise<Map<string, { rows: number; hash: string }>> {
    const parts = tables.map((table) => {
      const filter = table === 'audit_events' ? `WHERE action NOT IN (${AUDIT_ROWS_OF_REFUSALS.map((a) => `'${a}'`).join(', ')})` : '';
      return `SELECT '${table}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS hash FROM "${table}" x ${filter}`;
    });
    const rows: { name: string; rows: number; hash: string }[] = await t.db.query(parts.join(' UNION ALL '));
    return new Map(rows.map((row) => [row.name, { rows: row.rows, hash: row.hash }]));
  }

  function expectProblem(status: number, contentType: string, text: string, context: string): void {
    if (status >= 500) throw new Error(`${context}: answered ${status} ${text.slice(0, 300)}`);
    if (status < 400) return;
    if (!contentType.includes('application/problem+json'))
      throw new Error(`${context}: ${status} is not problem+json (${contentType}): ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as Record<string, unknown>;
    if (
      body['status'] !== status ||
      !PROBLEM_CODES.includes(body['code'] as never) ||
      typeof body['title'] !== 'string' ||
      typeof body['detail'] !== 'string'
    ) {
      throw new Error(`${context}: not a contract problem: ${text.slice(0, 300)}`);
    }
    if (INTERNALS.test(text)) throw new Error(`${context}: the problem leaks internals: ${text.slice(0, 300)}`);
  }

  async function send(request: FuzzRequest) {
    const headers = { ...request.headers };
    if (request.auth === 'caller') headers['authorization'] = `Bearer ${caller.tokens.access_token}`;
    if (request.auth === 'garbage') headers['authorization'] = 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidHlwIjoiYWNjZXNzIn0.';
    return t.app.inject({ method: request.method as 'GET', url: request.url, headers, payload: request.payload });
  }

  it.each(operations.map((operation) => [operation.key, operation] as const))(
    '%s',
    async (key, operation) => {
      let before = await snapshot();
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (request) => {
          const response = await send(request);
          const context = `${key} [${request.kind}] ${request.url.slice(0, 120)}`;
          figures.cases++;
          figures.operations.add(key);
          figures.kinds.set(request.kind, (figures.kinds.get(request.kind) ?? 0) + 1);
          expectProblem(response.statusCode, String(response.headers['content-type'] ?? ''), response.body, context);
          const after = await snapshot();
          figures.snapshots++;
          if (response.statusCode >= 400) {
            figures.refused++;
            for (const state of after.values()) figures.rowsChecked += state.rows;
            expect({ context, rows: Object.fromEntries(after) }).toEqual({ context, rows: Object.fromEntries(before) });
          } else {
            figures.succeeded++;
            // A success may end the caller's session (revoke-sessions `all`): sign in again.
            if (request.method !== 'GET') caller = { ...caller, tokens: await login(t, caller.email, caller.password) };
            before = await snapshot();
          }
        }),
        params(runsPerOperation),
      );
    },
    Math.max(60_000, runsPerOperation * 300),
  );

  it(
    'answers what only a real socket carries (long paths and headers, bad bytes, broken request lines) with problem+json',
    async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(rawRequestFor(operations), async ({ kind, text }) => {
          const response = await rawRequest(port, text);
          figures.socketCases++;
          figures.kinds.set(`socket: ${kind}`, (figures.kinds.get(`socket: ${kind}`) ?? 0) + 1);
          expectProblem(response.status, response.headers['content-type'] ?? '', response.body, `socket [${kind}] ${text.slice(0, 80)}`);
          expect(response.status).toBeGreaterThanOrEqual(200);
        }),
        params(SOCKET_RUNS),
      );
      const after = await snapshot();
      expect(Object.fromEntries(after)).toEqual(Object.fromEntries(before));
    },
    Math.max(60_000, SOCKET_RUNS * 300),
  );
});
