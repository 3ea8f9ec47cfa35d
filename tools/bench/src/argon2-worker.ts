import { verify } from '@node-rs/argon2';
import { serveParent } from './ipc';
import { runClosedLoop } from './stats';

/**
 * The raw argon2id verify rate: `@node-rs/argon2`'s async `verify` (the libuv thread pool, as
 * the API's PasswordHasher uses it) in a process started with the API replica's environment —
 * hence the same `UV_THREADPOOL_SIZE` — at the sign-in scenario's concurrency. The hash is made
 * by the bench with the API's argon2 parameters.
 */
export interface Argon2Run {
  hash: string;
  password: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

serveParent(
  0,
  {
    run: async (args: Argon2Run) => {
      const result = await runClosedLoop({
        clients: args.concurrency,
        warmupMs: args.warmupMs,
        durationMs: args.durationMs,
        expected: 'verified',
        operation: async () => ((await verify(args.hash, args.password)) ? 'verified' : 'wrong'),
      });
      return { ...result, latenciesMs: Array.from(result.latenciesMs) };
    },
  },
  async () => undefined,
);
