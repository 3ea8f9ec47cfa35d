import { Client, ClientConfig } from 'pg';

/** Set on a pooled client while slow work (sweep, bulk revocation) holds it. */
export const SLOW_QUERY_TIMEOUT = Symbol('slowQueryTimeoutMs');

type Slowable = { [SLOW_QUERY_TIMEOUT]?: number };

const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * node-postgres' `query_timeout` rejects the caller's promise but leaves the query
 * running on the connection: the client stays busy until the server answers, and a
 * pooled client would queue the next request (and TypeORM's ROLLBACK) behind it —
 * forever when the server is frozen. This client closes its socket when a query times
 * out, so the pool drops it and nothing else waits on it.
 * While {@link SLOW_QUERY_TIMEOUT} is set, queries get that longer bound instead.
 */
export class BoundedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
  }

  // node-postgres' overloads are many; this one forwards whatever it is given and returns what they return.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const slow = (this as Slowable)[SLOW_QUERY_TIMEOUT];
    if (slow !== undefined && typeof args[0] === 'string') args[0] = { text: args[0], query_timeout: slow };
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).catch((error: unknown) => {
        if ((error as Error | undefined)?.message === QUERY_READ_TIMEOUT) this.dropConnection();
      });
    }
    return result;
  }

  private dropConnection(): void {
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}
