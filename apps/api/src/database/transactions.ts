import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { SLOW_QUERY_TIMEOUT } from './bounded-client';

export type AfterCommit = (hook: () => void) => void;

/**
 * Runs work in one database transaction. `afterCommit` hooks run only once the
 * transaction committed — e.g. telling this process's revocation cache about
 * sessions that ended, which must not happen for a rolled-back change.
 *
 * `slow` work (the expired-session sweep, bulk revocation) may legitimately take
 * longer than a request's query bound: it gets DATABASE_SLOW_QUERY_TIMEOUT_MS, both
 * server-side (`SET LOCAL statement_timeout`) and client-side.
 */
@Injectable()
export class Transactions {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async run<T>(work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>, options: { slow?: boolean } = {}): Promise<T> {
    const hooks: (() => void)[] = [];
    const result = options.slow
      ? await this.slowTransaction((manager) => work(manager, (hook) => hooks.push(hook)))
      : await this.dataSource.transaction((manager) => work(manager, (hook) => hooks.push(hook)));
    for (const hook of hooks) hook();
    return result;
  }

  private async slowTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as Record<symbol, number | undefined>;
    const slowMs = this.config.databaseTimeouts.slowMs;
    client[SLOW_QUERY_TIMEOUT] = slowMs;
    try {
      await runner.startTransaction();
      try {
        await runner.query(`SET LOCAL statement_timeout = ${Math.floor(slowMs)}`);
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      client[SLOW_QUERY_TIMEOUT] = undefined;
      await runner.release();
    }
  }
}
