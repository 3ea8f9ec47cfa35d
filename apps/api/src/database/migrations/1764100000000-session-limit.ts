import { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = [
  'logout',
  'device_revoked',
  'others_revoked',
  'bulk_revoked',
  'refresh_reuse',
  'password_changed',
  'user_deactivated',
  'role_changed',
  'expired_idle',
  'expired_absolute',
];

const check = (reasons: string[]) => `revoke_reason IS NULL OR revoke_reason IN (${reasons.map((r) => `'${r}'`).join(', ')})`;

/**
 * Issue 11: a sign-in beyond the cap on live sessions per user (SESSION_MAX_PER_USER)
 * ends that user's least recently used session with the new stored reason
 * `session_limit`. NOT VALID then VALIDATE: the new constraint is checked for new rows at
 * once, and the existing rows are validated without holding the table's exclusive lock.
 */
export class SessionLimit1764100000000 implements MigrationInterface {
  name = 'SessionLimit1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "ck_sessions_revoke_reason"`);
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "ck_sessions_revoke_reason" CHECK (${check([...BEFORE, 'session_limit'])}) NOT VALID`,
    );
    await q.query(`ALTER TABLE "sessions" VALIDATE CONSTRAINT "ck_sessions_revoke_reason"`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sessions ended by the cap read as ended elsewhere once the reason no longer exists.
    await q.query(`UPDATE "sessions" SET revoke_reason = 'device_revoked' WHERE revoke_reason = 'session_limit'`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "ck_sessions_revoke_reason"`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "ck_sessions_revoke_reason" CHECK (${check(BEFORE)})`);
  }
}
