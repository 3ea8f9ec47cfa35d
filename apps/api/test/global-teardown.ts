import type { EmbeddedPostgresHandle } from '../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>)['__SESSIONS_PG__'] as EmbeddedPostgresHandle | undefined;
  await pg?.stop();
  const { dropExternalTemplate } = require('./test-database-server') as typeof import('./test-database-server');
  await dropExternalTemplate().catch(() => undefined);
}
