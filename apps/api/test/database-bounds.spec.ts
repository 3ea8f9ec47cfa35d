import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { isDatabaseUnavailable } from '../src/common/problem.filter';
import { Transactions } from '../src/database/transactions';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 8, finding 5: every query of a request is bounded (server- and client-side);
 * slow work has its own, longer bound. faults.spec.ts shows the same against a frozen
 * and a killed server.
 */
describe('database time bounds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DATABASE_QUERY_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '800' });
  });
  afterAll(() => t.close());

  it('bounds request queries server-side and answers a statement that runs too long as unavailable', async () => {
    expect(await t.db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '800ms' }]);
    const error = await t.db.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The pool is still usable afterwards.
    expect(await t.db.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('gives slow work (sweep, bulk revocation) the slow bound, client- and server-side, and only for its transaction', async () => {
    const transactions = t.app.get(Transactions);
    const txHost: TransactionHost<TransactionalAdapterTypeOrm> = t.app.get(TransactionHost);
    const slow = await transactions.run(
      async () => {
        const [setting] = await txHost.tx.query('SHOW statement_timeout');
        // Longer than both request bounds: neither the server nor the client cuts it.
        await txHost.tx.query('SELECT pg_sleep(1.2)');
        return setting;
      },
      { slow: true },
    );
    expect(slow).toEqual({ statement_timeout: '2min' });
    const settings = await Promise.all([0, 1, 2].map(() => t.db.query('SHOW statement_timeout')));
    expect(settings.flat()).toEqual(Array(3).fill({ statement_timeout: '800ms' }));
  });
});
