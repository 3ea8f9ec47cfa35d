import { loadConfig } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { PasswordHasher } from './password-hasher';

let inFlight = 0;
let mostInFlight = 0;
const pending: (() => void)[] = [];

/** argon2 that finishes only when the test says so, counting computations in flight. */
jest.mock('@node-rs/argon2', () => {
  const computation = <T>(value: T) =>
    new Promise<T>((resolve) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      pending.push(() => {
        inFlight--;
        resolve(value);
      });
    });
  return {
    Algorithm: { Argon2id: 2 },
    hash: () => computation('$argon2id$fake'),
    verify: (_hash: string, password: string) =>
      computation(password === 'right').then((ok) => {
        if (password === 'boom') throw new Error('malformed hash');
        return ok;
      }),
  };
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

async function finishAll(): Promise<void> {
  while (pending.length) {
    pending.shift()?.();
    await flush();
  }
}

describe('PasswordHasher (unit)', () => {
  beforeEach(() => {
    inFlight = 0;
    mostInFlight = 0;
    pending.length = 0;
  });

  it('runs at most ARGON2_CONCURRENCY computations at once and answers every caller, in order', async () => {
    const hasher = new PasswordHasher({ ...loadConfig({ ARGON2_CONCURRENCY: '2' }) } as RuntimeConfig);
    const order: number[] = [];
    const answers = Array.from({ length: 7 }, (_, i) =>
      hasher.verify('$argon2id$stored', i % 2 ? 'right' : 'wrong').then((ok) => {
        order.push(i);
        return ok;
      }),
    );
    await flush();
    expect(inFlight).toBe(2);
    await finishAll();
    expect(await Promise.all(answers)).toEqual([false, true, false, true, false, true, false]);
    expect(mostInFlight).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('counts the dummy hash of an unknown email within the same bound, and frees a slot when a computation fails', async () => {
    const hasher = new PasswordHasher({ ...loadConfig({ ARGON2_CONCURRENCY: '1' }) } as RuntimeConfig);
    hasher.onModuleInit();
    const unknown = hasher.verify(null, 'right');
    const broken = hasher.verify('$argon2id$stored', 'boom');
    const known = hasher.verify('$argon2id$stored', 'right');
    await flush();
    expect(inFlight).toBe(1);
    await finishAll();
    expect(await unknown).toBe(false);
    expect(await broken).toBe(false);
    expect(await known).toBe(true);
    expect(mostInFlight).toBe(1);
  });
});
