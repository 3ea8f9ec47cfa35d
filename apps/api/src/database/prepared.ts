import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/**
 * A hot-path statement with a name: node-postgres parses it once per connection
 * (Parse/Bind/Execute, then Bind/Execute only) and PostgreSQL keeps its plan in that
 * connection's plan cache, switching to a generic plan after five executions when it
 * is no worse — planning the rotation cost more than executing it (issue 11).
 * TypeORM's `query()` cannot name a statement; everything else stays on TypeORM.
 * `P` types the parameters, `R` the row.
 */
export interface Prepared<P extends readonly unknown[], R extends QueryResultRow> {
  readonly name: string;
  readonly text: string;
  /** Phantom: never set, only carries the types. */
  readonly types?: { params: P; row: R };
}

const names = new Set<string>();

/** Declares a named statement; names are process-wide (one per text), so a duplicate is a bug. */
export function prepared<P extends readonly unknown[], R extends QueryResultRow>(name: string, text: string): Prepared<P, R> {
  if (names.has(name)) throw new Error(`prepared statement ${name} is declared twice`);
  names.add(name);
  return { name, text };
}

/**
 * Runs {@link Prepared} statements on TypeORM's own `pg` pool — the same connections,
 * the same bounds (BoundedClient's client-side query timeout that drops the connection,
 * the server-side `statement_timeout`, `connectionTimeoutMillis`), the same
 * least-privileged role — outside any transaction (each is one atomic statement).
 */
@Injectable()
export class PreparedQueries {
  constructor(private readonly dataSource: DataSource) {}

  async rows<P extends readonly unknown[], R extends QueryResultRow>(statement: Prepared<P, R>, values: P): Promise<R[]> {
    const client = await this.connect();
    try {
      return await this.on(client, statement, values);
    } finally {
      // A client whose connection was dropped (timeout, server gone) is no longer
      // queryable, and node-postgres' pool discards it instead of reusing it.
      client.release();
    }
  }

  /**
   * In the caller's transaction when one is running (`tx` is `TransactionHost.tx`): on the
   * transaction's own connection, which TypeORM's query runner holds from BEGIN to
   * COMMIT; otherwise on the pool, as {@link rows}. The sign-in's writes (issue 11).
   */
  async inTransaction<P extends readonly unknown[], R extends QueryResultRow>(
    tx: EntityManager,
    statement: Prepared<P, R>,
    values: P,
  ): Promise<R[]> {
    const runner = tx.queryRunner;
    if (!runner?.isTransactionActive) return this.rows(statement, values);
    // Already connected (the transaction began): connect() hands back its pg client.
    const client = (await runner.connect()) as PoolClient;
    return this.on(client, statement, values);
  }

  /** On a given client (tests read `pg_prepared_statements` on the same connection). */
  async on<P extends readonly unknown[], R extends QueryResultRow>(client: PoolClient, statement: Prepared<P, R>, values: P): Promise<R[]> {
    const result = await client.query<R>({ name: statement.name, text: statement.text, values: values as unknown as unknown[] });
    return result.rows;
  }

  /** A pooled connection; the caller releases it. */
  connect(): Promise<PoolClient> {
    return this.pool().connect();
  }

  private pool(): Pool {
    // TypeORM's postgres driver keeps its pg Pool as `master`; absent until the data source
    // connected, which then answers like any other unavailable database (503).
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) throw Object.assign(new Error('Connection terminated: the database is not connected'), { code: 'ECONNREFUSED' });
    return pool;
  }
}
