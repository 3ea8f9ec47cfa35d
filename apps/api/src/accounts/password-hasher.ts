import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';

/**
 * argon2id through @node-rs/argon2, whose async calls run on the libuv thread pool,
 * off the event loop. A dummy hash of the same cost lets an unknown email take as
 * long as a wrong password, so timing does not reveal which emails exist.
 *
 * At most `ARGON2_CONCURRENCY` (default: one per core) computations run at once; the
 * rest wait here, in order. Left to the pool, a sign-in storm would run as many as the
 * pool has threads (4 by default): on 2 cores that is more hashing threads than cores,
 * which made every hash slower (caches, context switches) and took the cores the event
 * loop and PostgreSQL need for the same sign-ins — and it kept every pool thread busy,
 * so DNS lookups and file reads queued behind hashes. See docs/benchmarks.md.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash: Promise<string> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  onModuleInit(): void {
    this.dummyHash = this.hash(randomBytes(16).toString('hex'));
  }

  hash(password: string): Promise<string> {
    return this.limited(() =>
      hash(password, {
        algorithm: Algorithm.Argon2id,
        memoryCost: this.config.argon2.memoryKib,
        timeCost: this.config.argon2.iterations,
        parallelism: this.config.argon2.parallelism,
      }),
    );
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    const target = passwordHash ?? (await (this.dummyHash ??= this.hash(randomBytes(16).toString('hex'))));
    try {
      const ok = await this.limited(() => verify(target, password));
      return passwordHash !== null && ok;
    } catch {
      return false;
    }
  }

  /** Runs `work` when fewer than `concurrency` computations are in flight; first come, first served. */
  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.config.argon2.concurrency) {
      await new Promise<void>((admit) => this.waiting.push(admit));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line (running stays counted), or frees up.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
