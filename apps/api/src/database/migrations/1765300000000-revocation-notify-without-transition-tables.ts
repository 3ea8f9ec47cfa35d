import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The revocation notifications without transition tables (ADR 0028). A statement trigger
 * with `REFERENCING OLD TABLE … NEW TABLE` makes PostgreSQL copy every updated row twice into
 * tuplestores for *every* UPDATE of `sessions`, whether its function then returns early or
 * not: 100k ended rows spilled 27 MB of temp files and cost ≈ 0.3 s of backend CPU before the
 * function ran (scratch database, A/B back to back; the rotation paid it per refresh too).
 *
 * Instead, two triggers on `UPDATE OF revoked_at` (the rotation and the step-up stamp never
 * set it, so they fire neither):
 * - a row trigger, whose `WHEN` (evaluated in the executor, no function call) keeps only rows
 *   going from live to ended, appends the id to a transaction-local list and sends it as
 *   one `pg_notify` once it holds {@link IDS_PER_NOTIFY} ids (37 bytes each: under the
 *   8000-byte payload limit);
 * - a statement trigger that sends what is left when the statement ends.
 *
 * A statement that notifies by itself sets `sessions.revocation_notify = 'account'` for its
 * own duration (`SessionsRepository.revokeAccountWide`: one account-level message instead of
 * 100k ids); the `WHEN` then skips every row. Still inside the ending transaction, so a
 * rolled-back revocation notifies nobody.
 */
const IDS_PER_NOTIFY = 200;

export class RevocationNotifyWithoutTransitionTables1765300000000 implements MigrationInterface {
  name = 'RevocationNotifyWithoutTransitionTables1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sessions_notify_revoked_batch ON "sessions"`);
    await q.query(`DROP FUNCTION sessions_notify_revoked_batch()`);
    await q.query(`CREATE FUNCTION sessions_collect_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        pending text := coalesce(current_setting('sessions.revoked_pending', true), '');
        size int := coalesce(nullif(current_setting('sessions.revoked_pending_size', true), '')::int, 0);
      BEGIN
        pending := CASE WHEN size = 0 THEN NEW.id::text ELSE pending || ',' || NEW.id::text END;
        size := size + 1;
        IF size >= ${IDS_PER_NOTIFY} THEN
          PERFORM pg_notify('session_revoked', pending);
          pending := '';
          size := 0;
        END IF;
        PERFORM set_config('sessions.revoked_pending', pending, true), set_config('sessions.revoked_pending_size', size::text, true);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION sessions_flush_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(nullif(current_setting('sessions.revoked_pending_size', true), '')::int, 0) > 0 THEN
          PERFORM pg_notify('session_revoked', current_setting('sessions.revoked_pending'));
          PERFORM set_config('sessions.revoked_pending', '', true), set_config('sessions.revoked_pending_size', '0', true);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER sessions_collect_revoked AFTER UPDATE OF revoked_at ON "sessions"
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
                         AND current_setting('sessions.revocation_notify', true) IS DISTINCT FROM 'account')
      EXECUTE FUNCTION sessions_collect_revoked()`);
    await q.query(`CREATE TRIGGER sessions_flush_revoked AFTER UPDATE OF revoked_at ON "sessions"
      FOR EACH STATEMENT EXECUTE FUNCTION sessions_flush_revoked()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sessions_flush_revoked ON "sessions"`);
    await q.query(`DROP TRIGGER sessions_collect_revoked ON "sessions"`);
    await q.query(`DROP FUNCTION sessions_flush_revoked()`);
    await q.query(`DROP FUNCTION sessions_collect_revoked()`);
    await q.query(`CREATE FUNCTION sessions_notify_revoked_batch() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ids text;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM ended_new WHERE revoked_at IS NOT NULL) THEN
          RETURN NULL;
        END IF;
        FOR ids IN
          SELECT string_agg(e.id::text, ',')
            FROM (SELECT n.id, (row_number() OVER () - 1) / ${IDS_PER_NOTIFY} AS chunk
                    FROM ended_new n JOIN ended_old o ON o.id = n.id
                   WHERE o.revoked_at IS NULL AND n.revoked_at IS NOT NULL) e
           GROUP BY e.chunk
        LOOP
          PERFORM pg_notify('session_revoked', ids);
        END LOOP;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER sessions_notify_revoked_batch AFTER UPDATE ON "sessions"
      REFERENCING OLD TABLE AS ended_old NEW TABLE AS ended_new
      FOR EACH STATEMENT EXECUTE FUNCTION sessions_notify_revoked_batch()`);
  }
}
