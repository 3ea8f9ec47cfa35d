import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../apps/api/src/app.factory';
import { TokenService } from '../../../apps/api/src/auth/token.service';
import { startEmbeddedPostgres } from '../../../apps/api/src/database/embedded-postgres';
import { ensureDatabase, runMigrations } from '../../../apps/api/src/database/migrate';
import { SessionsService } from '../../../apps/api/src/sessions/sessions.service';
import { apiConfig } from './api-config';
import { CpuProfiler } from './profiler';

/**
 * The API's per-request pipeline without PostgreSQL: the real `createApp` (bench
 * configuration), the rotation statement replaced by a canned answer, requests by
 * `fastify.inject` in batches of 32. Prints process CPU µs per request for
 * `POST /api/auth/refresh`, `GET /api/health/live` and an unrouted 404, best of
 * several rounds. What the framework, hooks, tokens and serialisation cost per refresh,
 * with nothing else on the event loop (the pg driver's share is the reference server's too).
 * `node -r ts-node/register tools/bench/src/pipeline.ts [--profile]`.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-pipeline-'));
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false, log: () => undefined });
  try {
    await ensureDatabase(postgres.url('postgres'), 'pipeline');
    const databaseUrl = postgres.url('pipeline');
    await runMigrations(databaseUrl);
    const env = {
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_ACCESS_SECRET: randomBytes(32).toString('hex'),
      BENCH_REFRESH_SECRET: randomBytes(32).toString('hex'),
      BENCH_POOL: '4',
    };
    const app = await createApp(apiConfig(env));
    const fastify = app.getHttpAdapter().getInstance();
    const sessionId = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const snapshot = { authTime: now, idleMaxSeconds: 3600, absMaxSeconds: 86400 };
    const result = {
      sessionId,
      accountId: randomUUID(),
      userId: randomUUID(),
      role: 'engineer' as const,
      isActive: true,
      authTime: new Date(now * 1000),
      presentedIssuedAt: new Date(now * 1000),
      idleMaxSeconds: 3600,
      absMaxSeconds: 86400,
      rotated: true,
    };
    (app.get(SessionsService) as unknown as { rotate: () => Promise<typeof result> }).rotate = async () => result;
    const pair = app.get(TokenService).mint({ ...result, jti: randomUUID(), snapshot, issuedAt: now });
    const refreshBody = JSON.stringify({ refresh_token: pair.refreshToken });

    const cases: Record<string, () => Promise<{ statusCode: number }>> = {
      refresh: () =>
        fastify.inject({
          method: 'POST',
          url: '/api/auth/refresh',
          headers: { 'content-type': 'application/json', 'user-agent': 'autocannon' },
          payload: refreshBody,
        }),
      live: () => fastify.inject({ method: 'GET', url: '/api/health/live', headers: { 'user-agent': 'autocannon' } }),
      notFound: () => fastify.inject({ method: 'GET', url: '/api/nothing-here', headers: { 'user-agent': 'autocannon' } }),
    };
    const expected: Record<string, number> = { refresh: 200, live: 200, notFound: 404 };
    const batch = 32;
    const perRound = 3200;
    const round = async (name: string) => {
      const start = process.cpuUsage();
      for (let i = 0; i < perRound; i += batch) {
        const answers = await Promise.all(Array.from({ length: batch }, () => cases[name]()));
        for (const answer of answers) if (answer.statusCode !== expected[name]) throw new Error(`${name}: ${answer.statusCode}`);
      }
      const used = process.cpuUsage(start);
      return (used.user + used.system) / perRound;
    };
    const names = process.argv.includes('--only-refresh') ? ['refresh'] : Object.keys(cases);
    for (const name of names) for (let i = 0; i < 3; i++) await round(name); // warm-up (JIT)
    const rounds = Number(process.env['ROUNDS'] ?? 7);
    const results: Record<string, number[]> = {};
    for (let r = 0; r < rounds; r++) for (const name of names) (results[name] ??= []).push(await round(name));
    for (const name of names) {
      const sorted = [...results[name]].sort((a, b) => a - b);
      process.stdout.write(
        `${name.padEnd(9)} µs/request: best ${sorted[0].toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}\n`,
      );
    }
    if (process.argv.includes('--profile')) {
      const profiler = new CpuProfiler();
      await profiler.start();
      for (let i = 0; i < 5; i++) await round('refresh');
      const file = join(tmpdir(), `sessions-pipeline-${Date.now()}.cpuprofile`);
      const summary = await profiler.stop(file);
      process.stdout.write(`${summary.join('\n')}\n(profile: ${file})\n`);
    }
    await app.close();
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
