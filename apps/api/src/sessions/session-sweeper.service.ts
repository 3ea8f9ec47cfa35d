import { Inject, Injectable, Logger, OnApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';

const BATCH = 1000;

/**
 * Sessions that simply run out (nobody refreshes after a deadline) would stay "not
 * ended" forever and keep growing the live partial indexes. This job marks them
 * ended (`expired_idle` / `expired_absolute`) in small batches. Every replica may run
 * it: `FOR UPDATE SKIP LOCKED` keeps concurrent sweeps from contending.
 */
const SWEEP_SQL = `
WITH expired AS (
  SELECT id,
         CASE WHEN auth_time + make_interval(secs => abs_max_seconds) <= $1 THEN 'expired_absolute' ELSE 'expired_idle' END AS reason
    FROM sessions
   WHERE revoked_at IS NULL
     AND (auth_time + make_interval(secs => abs_max_seconds) <= $1 OR last_used_at + make_interval(secs => idle_max_seconds) <= $1)
   LIMIT $2
   FOR UPDATE SKIP LOCKED
)
UPDATE sessions s SET revoked_at = $1, revoke_reason = e.reason
  FROM expired e
 WHERE s.id = e.id
RETURNING s.id`;

@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly transactions: Transactions,
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

  /** Ends every session past a deadline; returns how many it ended. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = null));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let total = 0;
    for (;;) {
      // A batch may outlast a request's query bound on a large backlog: the slow lane.
      const [rows]: [{ id: string }[], number] = await this.transactions.run(
        (manager) => manager.query(SWEEP_SQL, [this.clock.now(), BATCH]),
        {
          slow: true,
        },
      );
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    if (total > 0) this.logger.log({ event: 'sessions.expired_swept', count: total }, 'ended expired sessions');
    return total;
  }
}
