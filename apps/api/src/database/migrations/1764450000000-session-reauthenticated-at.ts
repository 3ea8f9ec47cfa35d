import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sessions.reauthenticated_at`: when the user last proved who they are on this session
 * after signing in (step-up, issue 15). The freshness the sensitive endpoints require is
 * the later of it and `auth_time`; `auth_time` itself never moves, so the absolute limit
 * is untouched. Nullable: no backfill, a session that never stepped up has only its sign-in.
 */
export class SessionReauthenticatedAt1764450000000 implements MigrationInterface {
  name = 'SessionReauthenticatedAt1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" ADD "reauthenticated_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "reauthenticated_at"`);
  }
}
