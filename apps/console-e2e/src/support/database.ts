import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DATA_DIR, E2E_DB_PORT } from './server';

/**
 * The suite's API runs on the real clock, so "this session signed in 11 minutes ago" cannot
 * be made by moving the API's clock. Instead a test says it where the API reads it: in the
 * session's row, in the suite's own embedded PostgreSQL (its port fixed by the config, its
 * passwords in DATA_DIR/database-secrets.json, which the API wrote). It connects as the API's
 * own least-privilege role, so it can do nothing the API could not. No test-only switch
 * exists in the API: production has nothing to turn on.
 */
async function withDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const secrets = JSON.parse(readFileSync(join(DATA_DIR, 'database-secrets.json'), 'utf8')) as { api: string };
  const client = new Client({ host: '127.0.0.1', port: E2E_DB_PORT, database: 'sessions', user: 'sessions_api', password: secrets.api });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Moves the user's live sessions' last authentication `minutes` into the past, as if they
 * had signed in (and last stepped up) that long ago. `auth_time` moves too — the absolute
 * deadline comes `minutes` closer, which the tests' minutes do not reach.
 */
export async function ageAuthentication(email: string, minutes: number): Promise<number> {
  return withDatabase(async (client) => {
    const result = await client.query(
      `UPDATE sessions s
          SET auth_time = s.auth_time - make_interval(mins => $2),
              reauthenticated_at = s.reauthenticated_at - make_interval(mins => $2)
         FROM users u
        WHERE u.id = s.user_id AND lower(u.email) = lower($1) AND s.revoked_at IS NULL`,
      [email, minutes],
    );
    return result.rowCount ?? 0;
  });
}
