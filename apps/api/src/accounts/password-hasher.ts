import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';

/**
 * argon2id through @node-rs/argon2, whose async calls run on the libuv thread pool,
 * off the event loop. A dummy hash of the same cost lets an unknown email take as
 * long as a wrong password, so timing does not reveal which emails exist.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  onModuleInit(): void {
    this.dummyHash = this.hash(randomBytes(16).toString('hex'));
  }

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: Algorithm.Argon2id,
      memoryCost: this.config.argon2.memoryKib,
      timeCost: this.config.argon2.iterations,
      parallelism: this.config.argon2.parallelism,
    });
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    const target = passwordHash ?? (await (this.dummyHash ??= this.hash(randomBytes(16).toString('hex'))));
    try {
      const ok = await verify(target, password);
      return passwordHash !== null && ok;
    } catch {
      return false;
    }
  }
}
