import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { SLOW_QUERY_TIMEOUT } from './bounded-client';

/** The transaction host every repository reads its `EntityManager` from (`tx`). */
export type Tx = TransactionHost<TransactionalAdapterTypeOrm>;

/** Where the running transaction's after-commit hooks wait (a CLS key). */
const AFTER_COMMIT = Symbol('afterCommitHooks');

/**
 * Runs work in one database transaction, held in the async context (nestjs-cls): every
 * repository called inside `work` writes through it (`TransactionHost.tx`), so nothing
 * passes an `EntityManager` along (ADR 0022).
 *
 * {@link afterCommit} hooks run only once the outermost transaction committed — e.g.
 * telling this process's revocation cache about sessions that ended, which must not
 * happen for a rolled-back change. A `run` inside a running transaction joins it; its
 * hooks wait for the outer commit.
 *
 * `slow` work (the expired-session sweep, bulk revocation) may legitimately take
 * longer than a request's query bound: it gets DATABASE_SLOW_QUERY_TIMEOUT_MS, both
 * server-side (`SET LOCAL statement_timeout`) and client-side, from its first statement
 * through COMMIT/ROLLBACK; the connection goes back to the pool without it.
 */
@Injectable()
export class Transactions {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async run<T>(work: () => Promise<T>, options: { slow?: boolean } = {}): Promise<T> {
    if (this.txHost.isTransactionActive()) return work();
    const hooks: (() => void)[] = [];
    const result = await this.cls.run({ ifNested: 'inherit' }, () => {
      this.cls.set(AFTER_COMMIT, hooks);
      return this.txHost.withTransaction(async () => {
        if (options.slow) await this.slowLane();
        return work();
      });
    });
    for (const hook of hooks) hook();
    return result;
  }

  /**
   * Runs `hook` once the running transaction committed (never when it rolls back);
   * outside a transaction the change is already committed, so it runs at once.
   */
  afterCommit(hook: () => void): void {
    if (!this.txHost.isTransactionActive()) {
      hook();
      return;
    }
    const hooks = this.cls.get<(() => void)[] | undefined>(AFTER_COMMIT);
    // A transaction begun elsewhere (TransactionHost directly) has no hook list: running
    // the hook now would run it before the commit, so refuse loudly instead.
    if (!hooks) throw new Error('afterCommit needs a transaction begun by Transactions.run');
    hooks.push(hook);
  }

  private async slowLane(): Promise<void> {
    const runner = this.txHost.tx.queryRunner as PostgresQueryRunner;
    // Already connected (the transaction began): connect() hands back its pg client.
    const client = (await runner.connect()) as Record<symbol, number | undefined>;
    const slowMs = this.config.databaseTimeouts.slowMs;
    client[SLOW_QUERY_TIMEOUT] = slowMs;
    // TypeORM releases the runner after COMMIT or ROLLBACK: clear the bound just before.
    const release = runner.release.bind(runner);
    runner.release = () => {
      client[SLOW_QUERY_TIMEOUT] = undefined;
      return release();
    };
    await runner.query(`SET LOCAL statement_timeout = ${Math.floor(slowMs)}`);
  }
}
