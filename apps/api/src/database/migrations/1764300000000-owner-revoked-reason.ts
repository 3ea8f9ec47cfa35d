import { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'logout', 'device_revoked', 'others_revoked', 'bulk_revoked', 'refresh_reuse', 'password_changed', 'user_deactivated', 'role_changed', 'expired_idle', 'expired_absolute', 'session_limit'`;
const AFTER = `'logout', 'device_revoked', 'others_revoked', 'bulk_revoked', 'owner_revoked', 'refresh_reuse', 'password_changed', 'user_deactivated', 'role_changed', 'expired_idle', 'expired_absolute', 'session_limit'`;

/**
 * `owner_revoked`: an owner ended one member's session (or all of them) from the
 * members page. Stored apart from `bulk_revoked` because the stored reason says which
 * endpoint ended the session; both tell the user `revoked_by_owner`.
 */
export class OwnerRevokedReason1764300000000 implements MigrationInterface {
  name = 'OwnerRevokedReason1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "ck_sessions_revoke_reason"`);
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "ck_sessions_revoke_reason" CHECK (revoke_reason IS NULL OR revoke_reason IN (${AFTER}))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Sessions ended this way keep a true meaning under the older vocabulary.
    await q.query(`UPDATE "sessions" SET "revoke_reason" = 'bulk_revoked' WHERE "revoke_reason" = 'owner_revoked'`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "ck_sessions_revoke_reason"`);
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "ck_sessions_revoke_reason" CHECK (revoke_reason IS NULL OR revoke_reason IN (${BEFORE}))`,
    );
  }
}
