import { availableParallelism } from 'node:os';

/**
 * libuv's thread pool runs argon2 (PasswordHasher), file reads, DNS lookups and async
 * crypto. Its size is read once, from UV_THREADPOOL_SIZE, when the first task is queued:
 * setting it inside main() would be too late if any import had touched the pool, so
 * main.ts imports this module first of all. Unset, libuv keeps 4 threads whatever the
 * cores, which on a larger machine caps sign-ins at 4 cores of argon2; we size it for
 * ARGON2_CONCURRENCY hashes plus 2 threads left for everything else, never below 4.
 * An operator's UV_THREADPOOL_SIZE always wins.
 */
export function threadPoolSize(env: NodeJS.ProcessEnv, cores: number): number {
  const raw = env['ARGON2_CONCURRENCY']?.trim() ?? '';
  // An invalid value is reported by loadConfig a moment later; here it falls back.
  const concurrency = /^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 256 ? Number(raw) : cores;
  return Math.min(1024, Math.max(4, concurrency + 2));
}

export function sizeThreadPool(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): void {
  if (env['UV_THREADPOOL_SIZE']?.trim()) return;
  env['UV_THREADPOOL_SIZE'] = String(threadPoolSize(env, cores));
}

sizeThreadPool();
