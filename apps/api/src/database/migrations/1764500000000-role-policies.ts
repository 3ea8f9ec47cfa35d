import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: per-role policy overrides (a role may only tighten the account policy) and
 * the account's own cap on live sessions per user (null: the system cap). The database
 * keeps hard floors and the both-set idle ≤ absolute invariant, as for `accounts`; the
 * configurable bounds are libs/session-policy's. Keyed by the tenant first: every read
 * is "this account's overrides", and the rotation joins on (account_id, role).
 */
export class RolePolicies1764500000000 implements MigrationInterface {
  name = 'RolePolicies1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "role_policies" (
      "account_id" uuid NOT NULL,
      "role" character varying(16) NOT NULL,
      "idle_minutes" integer,
      "absolute_minutes" integer,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "ck_role_policies_role" CHECK (role IN ('owner', 'admin', 'engineer')),
      CONSTRAINT "ck_role_policies_some_limit" CHECK (idle_minutes IS NOT NULL OR absolute_minutes IS NOT NULL),
      CONSTRAINT "ck_role_policies_idle_minutes_range" CHECK (idle_minutes IS NULL OR idle_minutes BETWEEN 1 AND 525600),
      CONSTRAINT "ck_role_policies_absolute_minutes_range" CHECK (absolute_minutes IS NULL OR absolute_minutes BETWEEN 1 AND 525600),
      CONSTRAINT "ck_role_policies_idle_le_absolute" CHECK (idle_minutes IS NULL OR absolute_minutes IS NULL OR idle_minutes <= absolute_minutes),
      CONSTRAINT "pk_role_policies" PRIMARY KEY ("account_id", "role"))`);
    await q.query(
      `ALTER TABLE "role_policies" ADD CONSTRAINT "fk_role_policies_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`ALTER TABLE "accounts" ADD "max_sessions_per_user" integer`);
    await q.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "ck_accounts_max_sessions_per_user" CHECK (max_sessions_per_user IS NULL OR max_sessions_per_user >= 1)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "accounts" DROP CONSTRAINT "ck_accounts_max_sessions_per_user"`);
    await q.query(`ALTER TABLE "accounts" DROP COLUMN "max_sessions_per_user"`);
    await q.query(`DROP TABLE "role_policies"`);
  }
}
