import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { ROTATE_SQL } from '../../../apps/api/src/sessions/sessions.repository';
import { hs256Key, sign, verify } from './hs256';
import { serveParent } from './ipc';

/**
 * The floor of this design on this machine: the same refresh with no framework. `node:http`,
 * a bare `pg` pool of the API's size running the API's own named prepared statement
 * (`ROTATE_SQL`, imported, never copied), HS256 through `node:crypto`. Per request it does
 * what the API's refresh must do — verify the presented token, SHA-256 its `jti`, rotate in
 * one statement, sign an access and a refresh token, answer JSON — and nothing else: no
 * validation pipeline, rate limiter, security headers, logging or metrics. Configured by
 * BENCH_* variables from the bench.
 */
const MAX_BODY = 8192;
const ACCESS_TTL = 300;

// idleTimeoutMillis 0: connections stay open between scenarios, as in the API replicas (api-server.ts).
const pool = new Pool({
  connectionString: process.env['BENCH_DATABASE_URL'],
  max: Number(process.env['BENCH_POOL'] ?? 20),
  idleTimeoutMillis: 0,
});
pool.on('error', () => undefined); // an idle connection dropped at shutdown
const refreshKey = hs256Key(process.env['BENCH_REFRESH_SECRET'] ?? '');
const accessKey = hs256Key(process.env['BENCH_ACCESS_SECRET'] ?? '');
const idleDefault = Number(process.env['BENCH_IDLE_SECONDS']);
const absoluteDefault = Number(process.env['BENCH_ABSOLUTE_SECONDS']);
const sha256 = (text: string) => createHash('sha256').update(text).digest();

function answer(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' });
  res.end(json);
}

async function refresh(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
  let token: unknown;
  try {
    token = (JSON.parse(raw) as { refresh_token?: unknown }).refresh_token;
  } catch {
    return answer(res, 400, { code: 'bad_json' });
  }
  const claims = typeof token === 'string' ? verify(refreshKey, token) : null;
  if (!claims || claims['typ'] !== 'refresh' || typeof claims['jti'] !== 'string' || typeof claims['sid'] !== 'string') {
    return answer(res, 401, { code: 'invalid_token' });
  }
  const jti = randomUUID();
  const now = new Date();
  const { rows } = await pool.query<{ rotated: boolean; user_id: string; session_id: string }>({
    name: ROTATE_SQL.name,
    text: ROTATE_SQL.text,
    values: [
      sha256(claims['jti']),
      sha256(jti),
      now,
      false,
      idleDefault,
      absoluteDefault,
      req.headers['user-agent'] ?? null,
      req.socket.remoteAddress ?? null,
    ],
  });
  const row = rows[0];
  if (!row?.rotated) return answer(res, 401, { code: 'refresh_refused' });
  const iat = Math.floor(now.getTime() / 1000);
  answer(res, 200, {
    access_token: sign(accessKey, { sub: row.user_id, sid: row.session_id, typ: 'access', iat, exp: iat + ACCESS_TTL }),
    token_type: 'bearer',
    expires_in: ACCESS_TTL,
    refresh_token: sign(refreshKey, { sub: row.user_id, sid: row.session_id, jti, typ: 'refresh', iat, exp: iat + idleDefault }),
  });
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/refresh') return answer(res, 404, { code: 'not_found' });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    refresh(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) =>
      answer(res, 503, { code: 'unavailable', detail: error instanceof Error ? error.message : String(error) }),
    );
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  serveParent(
    (server.address() as AddressInfo).port,
    {
      /** First refresh tokens of seeded sessions, signed with this server's key. */
      mint: (args: { sessions: { userId: string; sessionId: string; jti: string }[]; issuedAt: number }) =>
        args.sessions.map((s) => ({
          accessToken: '',
          refreshToken: sign(refreshKey, {
            sub: s.userId,
            sid: s.sessionId,
            jti: s.jti,
            typ: 'refresh',
            iat: args.issuedAt,
            exp: args.issuedAt + idleDefault,
          }),
        })),
    },
    async () => {
      server.close();
      server.closeAllConnections();
      await pool.end();
    },
  );
});
