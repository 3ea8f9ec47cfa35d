import { Inject, Injectable, Logger, OnApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { expiryReason, pastDeadline } from '../common/live-session.sql';

const BATCH = 1000;

/**
 * The advisory lock key of the sweep (any bigint unique to this job). Each batch
 * transaction takes it with `pg_try_advisory_xact_lock`: one replica sweeps at a time,
 * the others skip their turn instead of queueing behind it (issue 14). A transaction
 * lock is released by COMMIT/ROLLBACK — or by the server when the connection dies —
 * so a crashed replica never leaves it held.
 */
export const SWEEP_LOCK_KEY = 7_314_120_001;

/**
 * Sessions that simply run out (nobody refreshes after a deadline) would stay "not
 * ended" forever and keep growing the live partial indexes. This job marks them
 * ended (`expired_idle` / `expired_absolute`) in small batches, and deletes expired
 * rate-limit counters. Every replica schedules it; the advisory lock lets one run at a time.
 */
const SWEEP_SQL = `
WITH expired AS (
  SELECT id,
         ${expiryReason('', '$1')} AS reason
    FROM sessions
   WHERE revoked_at IS NULL
     AND ${pastDeadline('', '$1')}
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
        async (manager): Promise<{ id: string }[] | null> => {
          const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SWEEP_LOCK_KEY]);
          if (!locked) return null;
          // Expired counters read as absent already; deleting them only keeps the table small.
          if (first) await manager.query('DELETE FROM rate_limits WHERE expire < $1', [this.clock.now().getTime()]);
          const [ended]: [{ id: string }[], number] = await manager.query(SWEEP_SQL, [this.clock.now(), BATCH]);
          return ended;
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
