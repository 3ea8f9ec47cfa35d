import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../../apps/api/src/app.factory';
import { TokenService } from '../../../apps/api/src/auth/token.service';
import type { RuntimeConfig } from '../../../apps/api/src/config/runtime-config';
import type { Role } from '../../../apps/api/src/common/auth/roles';
import { apiConfig } from './api-config';
import { serveParent } from './ipc';
import { CpuProfiler } from './profiler';

/**
 * One API replica for the bench, in its own process (so the load generator's JavaScript
 * never runs on the API's event loop, and its CPU is counted apart): the real `createApp`,
 * the pipeline of `npm start`. Configured by BENCH_* variables from the bench.
 */
export interface MintArgs {
  sessions: { userId: string; accountId: string; sessionId: string; role: Role; jti: string }[];
  issuedAt: number;
  snapshot: { authTime: number; idleMaxSeconds: number; absMaxSeconds: number };
}

/**
 * pg-pool closes a connection idle for 10 s; between two scenarios (seeding, VACUUM,
 * CHECKPOINT) every pooled connection idles that long, so each point began by opening 20
 * connections again — SCRAM (pbkdf2) in this process, a new backend with cold caches and
 * every named statement prepared anew — inside its window. A busy API never idles 10 s:
 * the bench keeps the pool as a busy service has it (the reference server does the same).
 */
function keepPoolWarm(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: { options: { idleTimeoutMillis?: number } } }).master;
  if (!pool) throw new Error('no pg pool on the DataSource (TypeORM changed?)');
  pool.options.idleTimeoutMillis = 0;
}

async function main(): Promise<void> {
  const config: RuntimeConfig = apiConfig(process.env);
  const app = await createApp(config);
  keepPoolWarm(app.get(DataSource));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const tokens = app.get(TokenService);
  const profiler = new CpuProfiler();
  serveParent(
    (app.getHttpServer().address() as AddressInfo).port,
    {
      /** Tokens minted with the API's own TokenService and secrets (sessions are seeded in SQL). */
      mint: (args: MintArgs) =>
        args.sessions.map((s) => {
          const pair = tokens.mint({ ...s, snapshot: args.snapshot, issuedAt: args.issuedAt });
          return { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
        }),
      profileStart: () => profiler.start(),
      profileStop: () => profiler.stop(join(tmpdir(), `sessions-bench-api-${process.pid}-${Date.now()}.cpuprofile`)),
      uvThreadpoolSize: () => process.env['UV_THREADPOOL_SIZE'] ?? '4 (libuv default)',
    },
    () => app.close(),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench api] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
