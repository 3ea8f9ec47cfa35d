import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type AfterCommit = (hook: () => void) => void;

/**
 * Runs work in one database transaction. `afterCommit` hooks run only once the
 * transaction committed — e.g. telling this process's revocation cache about
 * sessions that ended, which must not happen for a rolled-back change.
 */
@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    const hooks: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) => work(manager, (hook) => hooks.push(hook)));
    for (const hook of hooks) hook();
    return result;
  }
}
