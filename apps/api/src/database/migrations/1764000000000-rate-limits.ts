import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API replica (issue 14), in the layout
 * rate-limiter-flexible's `RateLimiterPostgres` reads and writes (column order
 * matters: it inserts positionally). `expire` is epoch milliseconds.
 *
 * UNLOGGED: a counter is worth less than its WAL. A crash empties the table
 * (every client starts afresh — the same as a restart of the in-memory store);
 * it is not copied to streaming replicas, which never read it.
 * The API role creates nothing (least privilege): the table exists before the
 * API starts, and the library is told so (`tableCreated`).
 */
export class RateLimits1764000000000 implements MigrationInterface {
  name = 'RateLimits1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE "rate_limits" (
      "key" text NOT NULL,
      "points" integer NOT NULL DEFAULT 0,
      "expire" bigint,
      CONSTRAINT "pk_rate_limits" PRIMARY KEY ("key"))`);
    // The sweeper deletes expired counters by this column.
    await q.query(`CREATE INDEX "ix_rate_limits_expire" ON "rate_limits" ("expire")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rate_limits"`);
  }
}
