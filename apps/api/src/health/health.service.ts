import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { HealthRepository } from './health.repository';

/** The database probe behind `/health` and `/health/ready`; controllers do not touch the database. */
@Injectable()
export class HealthService {
  constructor(
    private readonly repository: HealthRepository,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Resolves when PostgreSQL answers `SELECT 1`; `unavailable` (503) otherwise. */
  async databaseUp(): Promise<void> {
    try {
      await Promise.race([
        this.repository.ping(),
        // The pool already bounds both waits (data-source.ts); this only guards against a bug there.
        new Promise((_, reject) => {
          const { connectMs, queryMs } = this.config.databaseTimeouts;
          setTimeout(() => reject(new Error('database check timed out')), connectMs + queryMs).unref();
        }),
      ]);
    } catch {
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', 'The database is unreachable.');
    }
  }
}
