import type { EmbeddedPostgresHandle } from '../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>)['__SESSIONS_PG__'] as EmbeddedPostgresHandle | undefined;
  await pg?.stop();
}
