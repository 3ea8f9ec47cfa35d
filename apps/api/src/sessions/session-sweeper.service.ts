import { Inject, Injectable, Logger, OnApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { SessionsRepository } from './sessions.repository';

export { SWEEP_LOCK_KEY } from './sessions.repository';

const BATCH = 1000;

/**
 * Sessions that simply run out (nobody refreshes after a deadline) would stay "not
 * ended" forever and keep growing the live partial indexes. This job marks them
 * ended (`expired_idle` / `expired_absolute`) in small batches, and deletes expired
 * rate-limit counters. Every replica schedules it; the advisory lock lets one run at a time.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly transactions: Transactions,
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.sessionSweepIntervalSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'session sweep failed; will retry'));
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Ends every session past a deadline; returns how many it ended (0 when another replica holds the sweep). */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = null));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let total = 0;
    for (let first = true; ; first = false) {
      // A batch may outlast a request's query bound on a large backlog: the slow lane.
      const rows = await this.transactions.run(
        async (manager): Promise<string[] | null> => {
          if (!(await this.sessions.tryTakeSweepLock(manager))) return null;
          if (first) await this.sessions.deleteExpiredRateLimits(manager, this.clock.now().getTime());
          return this.sessions.endExpired(manager, this.clock.now(), BATCH);
        },
        { slow: true },
      );
      if (rows === null) {
        if (first) this.logger.debug({ event: 'sessions.sweep_skipped' }, 'another replica is sweeping');
        break;
      }
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    if (total > 0) this.logger.log({ event: 'sessions.expired_swept', count: total }, 'ended expired sessions');
    return total;
  }
}
