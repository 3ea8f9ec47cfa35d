import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in with OpenID Connect providers (issue 10): the identities linked to users,
 * and the account's sign-in policy (external sign-in required for members, accepted
 * providers and email domains; null lists mean "any").
 */
export class ExternalSignIn1764200000000 implements MigrationInterface {
  name = 'ExternalSignIn1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "user_identities" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "account_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "provider" character varying(32) NOT NULL,
      "subject" character varying(255) NOT NULL,
      "email" character varying(320) NOT NULL,
      "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_user_identities" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "ux_user_identities_provider_subject" ON "user_identities" ("provider", "subject")`);
    await q.query(`CREATE INDEX "ix_user_identities_user" ON "user_identities" ("user_id")`);
    await q.query(
      `ALTER TABLE "user_identities" ADD CONSTRAINT "fk_user_identities_account" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "user_identities" ADD CONSTRAINT "fk_user_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`ALTER TABLE "accounts" ADD "require_external_sign_in" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "accounts" ADD "allowed_sign_in_providers" text array`);
    await q.query(`ALTER TABLE "accounts" ADD "allowed_email_domains" text array`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "accounts" DROP COLUMN "allowed_email_domains"`);
    await q.query(`ALTER TABLE "accounts" DROP COLUMN "allowed_sign_in_providers"`);
    await q.query(`ALTER TABLE "accounts" DROP COLUMN "require_external_sign_in"`);
    await q.query(`DROP TABLE "user_identities"`);
  }
}
