import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, users, sessions, refresh tokens and the append-only audit log.
 * Two triggers carry rules the database must own:
 * - `sessions_notify_revoked` tells every API replica (LISTEN session_revoked) that a
 *   session ended, inside the ending transaction, so no code path can forget it;
 * - `audit_events_append_only` refuses UPDATE, DELETE and TRUNCATE on the audit log.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "accounts" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" character varying(200) NOT NULL,
      "session_idle_minutes" integer,
      "session_absolute_minutes" integer,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_accounts_name_not_blank" CHECK (length(btrim(name)) > 0),
      CONSTRAINT "ck_accounts_idle_le_absolute" CHECK (session_idle_minutes IS NULL OR session_absolute_minutes IS NULL OR session_idle_minutes <= session_absolute_minutes),
      CONSTRAINT "ck_accounts_absolute_minutes_range" CHECK (session_absolute_minutes IS NULL OR session_absolute_minutes BETWEEN 1 AND 525600),
      CONSTRAINT "ck_accounts_idle_minutes_range" CHECK (session_idle_minutes IS NULL OR session_idle_minutes BETWEEN 1 AND 525600),
      CONSTRAINT "pk_accounts" PRIMARY KEY ("id"))`);

    await q.query(`CREATE TABLE "users" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "account_id" uuid NOT NULL,
      "email" character varying(320) NOT NULL,
      "name" character varying(200) NOT NULL,
      "role" character varying(16) NOT NULL,
      "password_hash" text NOT NULL,
      "is_active" boolean NOT NULL DEFAULT true,
      "last_login_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ck_users_email_lowercase" CHECK (email = lower(email)),
      CONSTRAINT "ck_users_role" CHECK (role IN ('owner', 'admin', 'engineer')),
      CONSTRAINT "pk_users" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "ux_users_email" ON "users" ("email")`);
    await q.query(`CREATE INDEX "ix_users_account_id" ON "users" ("account_id")`);

    await q.query(`CREATE TABLE "sessions" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "account_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "auth_time" TIMESTAMP WITH TIME ZONE NOT NULL,
      "idle_max_seconds" integer NOT NULL,
      "abs_max_seconds" integer NOT NULL,
      "user_agent" character varying(500),
      "ip" character varying(45),
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "revoke_reason" character varying(32),
      CONSTRAINT "ck_sessions_revoked_has_reason" CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
      CONSTRAINT "ck_sessions_revoke_reason" CHECK (revoke_reason IS NULL OR revoke_reason IN ('logout', 'device_revoked', 'others_revoked', 'bulk_revoked', 'refresh_reuse', 'password_changed', 'user_deactivated', 'role_changed', 'expired_idle', 'expired_absolute')),
      CONSTRAINT "ck_sessions_abs_max_positive" CHECK (abs_max_seconds > 0),
      CONSTRAINT "ck_sessions_idle_max_positive" CHECK (idle_max_seconds > 0),
      CONSTRAINT "pk_sessions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_sessions_revoked_at" ON "sessions" ("revoked_at") WHERE revoked_at IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_sessions_account_live" ON "sessions" ("account_id") WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX "ix_sessions_user_live" ON "sessions" ("user_id", "last_used_at") WHERE revoked_at IS NULL`);

    await q.query(`CREATE TABLE "refresh_tokens" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "session_id" uuid NOT NULL,
      "account_id" uuid NOT NULL,
      "jti_hash" bytea NOT NULL,
      "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "used_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "ux_refresh_tokens_jti_hash" ON "refresh_tokens" ("jti_hash")`);
    await q.query(`CREATE INDEX "ix_refresh_tokens_session" ON "refresh_tokens" ("session_id")`);

    await q.query(`CREATE TABLE "audit_events" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "account_id" uuid NOT NULL,
      "actor_user_id" uuid,
      "action" character varying(64) NOT NULL,
      "resource_type" character varying(32) NOT NULL,
      "resource_id" character varying(64),
      "details" jsonb NOT NULL,
      "ip" character varying(45),
      "user_agent" character varying(500),
      "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_audit_events" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_audit_events_account_time" ON "audit_events" ("account_id", "occurred_at", "id")`);

    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await q.query(`CREATE FUNCTION sessions_notify_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('session_revoked', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER sessions_notify_revoked AFTER UPDATE OF revoked_at ON "sessions"
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION sessions_notify_revoked()`);

    await q.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events"
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_events"`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP FUNCTION sessions_notify_revoked()`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TABLE "accounts"`);
  }
}
