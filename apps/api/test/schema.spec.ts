import { DataSource } from 'typeorm';
import { ENTITIES } from '../src/database/entities';
import { signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('schema: constraints and entity/migration drift (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('database constraints', () => {
    const reject = (sql: string, params: unknown[] = []) =>
      expect(t.db.query(sql, params)).rejects.toThrow(/violates check constraint|violates unique constraint/);

    it('rejects bad rows at the database level', async () => {
      const owner = await signupOwner(t);
      await reject(
        `INSERT INTO users (account_id, email, name, role, password_hash) VALUES ($1, 'x@example.test', 'X', 'superuser', 'h')`,
        [owner.accountId],
      );
      await reject(
        `INSERT INTO users (account_id, email, name, role, password_hash) VALUES ($1, 'Upper@Example.test', 'X', 'owner', 'h')`,
        [owner.accountId],
      );
      await reject(`INSERT INTO users (account_id, email, name, role, password_hash) VALUES ($1, $2, 'X', 'owner', 'h')`, [
        owner.accountId,
        owner.email,
      ]);
      await reject(`UPDATE accounts SET session_idle_minutes = 600, session_absolute_minutes = 60 WHERE id = $1`, [owner.accountId]);
      await reject(`UPDATE accounts SET session_idle_minutes = 0 WHERE id = $1`, [owner.accountId]);
      await reject(`UPDATE accounts SET session_absolute_minutes = -5 WHERE id = $1`, [owner.accountId]);
      await reject(`UPDATE sessions SET revoked_at = now() WHERE account_id = $1`, [owner.accountId]);
      await reject(`UPDATE sessions SET idle_max_seconds = 0 WHERE account_id = $1`, [owner.accountId]);
      // One side set, the other null, is allowed: the invariant then holds on effective values.
      await expect(
        t.db.query(`UPDATE accounts SET session_idle_minutes = 600, session_absolute_minutes = NULL WHERE id = $1`, [owner.accountId]),
      ).resolves.toBeDefined();
    });
  });

  describe('schema', () => {
    it('has no drift between the entities and the migrations', async () => {
      // What `typeorm migration:generate` would write, computed against the migrated database.
      const probe = new DataSource({ type: 'postgres', url: t.databaseUrl, entities: ENTITIES, uuidExtension: 'pgcrypto' });
      await probe.initialize();
      try {
        const pending = await probe.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      } finally {
        await probe.destroy();
      }
    });
  });
});
