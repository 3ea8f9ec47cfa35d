import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, ADR 0027: the refresh rotation writes less.
 *
 * - **The session stamp becomes a HOT update.** `ix_sessions_user_live` drops its
 *   `last_used_at` key: every refresh changes `last_used_at`, so no update of `sessions`
 *   could be HOT and each one wrote a new entry into all three of its indexes (pk,
 *   `ix_sessions_account_live`, `ix_sessions_user_live`). Keyed on `user_id` alone the
 *   rotation changes no indexed column; the device list sorts the user's live sessions
 *   (at most the cap, 50 by default) in memory. `fillfactor = 90` keeps room on each page
 *   for the new row version (pages written from now on; older pages get it as dead
 *   versions are pruned).
 * - **`refresh_tokens.fk_refresh_tokens_account` goes.** Its check ran on every successor
 *   insert and took a `FOR KEY SHARE` lock on the account row: one more WAL record per
 *   refresh, and a MultiXact whenever two users of one account refreshed at once. The
 *   token's session already references the account (ON DELETE CASCADE reaches the tokens
 *   through `fk_refresh_tokens_session`), and the API only ever writes a token with its
 *   session's account.
 * - **`jti_hash` is the primary key.** Nothing references `refresh_tokens.id`, and every
 *   lookup is by `jti_hash`: the uuid column and its index were one more index insert (and a
 *   `gen_random_uuid()`) per refresh. The unique index becomes the primary key as is.
 *
 * Not in a transaction: `CREATE/DROP INDEX CONCURRENTLY` cannot run in one, and keep
 * refreshes going while the 1 M-row index builds. Each step is safe to run again after a
 * failure part-way (a failed concurrent build leaves an invalid index, dropped first).
 */
export class RotationWrites1765200000000 implements MigrationInterface {
  name = 'RotationWrites1765200000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await swapIndex(q, 'ix_sessions_user_live', `ON "sessions" ("user_id") WHERE revoked_at IS NULL`);
    await q.query(`ALTER TABLE "sessions" SET (fillfactor = 90)`);
    await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT IF EXISTS "fk_refresh_tokens_account"`);
    if (await hasColumn(q, 'refresh_tokens', 'id')) {
      await q.startTransaction();
      try {
        await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "pk_refresh_tokens"`);
        await q.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "id"`);
        await q.query(
          `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "pk_refresh_tokens" PRIMARY KEY USING INDEX "ux_refresh_tokens_jti_hash"`,
        );
        await q.commitTransaction();
      } catch (error) {
        await q.rollbackTransaction();
        throw error;
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasColumn(q, 'refresh_tokens', 'id'))) {
      await q.startTransaction();
      try {
        await q.query(`CREATE UNIQUE INDEX "ux_refresh_tokens_jti_hash" ON "refresh_tokens" ("jti_hash")`);
        await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "pk_refresh_tokens"`);
        await q.query(`ALTER TABLE "refresh_tokens" ADD "id" uuid NOT NULL DEFAULT gen_random_uuid()`);
        await q.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id")`);
        await q.commitTransaction();
      } catch (error) {
        await q.rollbackTransaction();
        throw error;
      }
    }
    await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT IF EXISTS "fk_refresh_tokens_account"`);
    await q.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`ALTER TABLE "sessions" RESET (fillfactor)`);
    await swapIndex(q, 'ix_sessions_user_live', `ON "sessions" ("user_id", "last_used_at") WHERE revoked_at IS NULL`);
  }
}

/**
 * Replaces index `name` by one built as `definition`, without blocking writes: build aside, drop,
 * rename. `CONCURRENTLY` cannot run in a transaction: TypeORM's revert (`undoLastMigration`)
 * wraps `down` in one unless told `transaction: 'none'`, and there the plain forms are used.
 */
async function swapIndex(q: QueryRunner, name: string, definition: string): Promise<void> {
  const next = `${name}_next`;
  const concurrently = q.isTransactionActive ? '' : ' CONCURRENTLY';
  await q.query(`DROP INDEX${concurrently} IF EXISTS "${next}"`);
  await q.query(`CREATE INDEX${concurrently} "${next}" ${definition}`);
  await q.query(`DROP INDEX${concurrently} IF EXISTS "${name}"`);
  await q.query(`ALTER INDEX "${next}" RENAME TO "${name}"`);
}

async function hasColumn(q: QueryRunner, table: string, column: string): Promise<boolean> {
  const rows: unknown[] = await q.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`,
    [table, column],
  );
  return rows.length > 0;
}
