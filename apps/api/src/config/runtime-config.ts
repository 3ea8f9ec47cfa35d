import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config';

/** The configuration once the database URL and token secrets are known. */
export interface RuntimeConfig extends AppConfig {
  databaseUrl: string;
  accessTokenSecret: string;
  refreshTokenSecret: string;
  databasePoolSize: number;
}

interface StoredSecrets {
  access: string;
  refresh: string;
}

/** Passwords of the embedded PostgreSQL's roles (see database/roles.ts). */
export interface DatabaseSecrets {
  superuser: string;
  owner: string;
  api: string;
}

/**
 * Reads `file` in the data folder, adds any of `names` it lacks (CSPRNG, 48 bytes),
 * and keeps it mode 600 — also when an older version wrote it with fewer entries.
 * Returns the values and which names were new.
 */
function loadOrCreate<K extends string>(
  dataDir: string,
  fileName: string,
  names: readonly K[],
): { values: Record<K, string>; created: K[] } {
  const dir = resolve(dataDir);
  const file = join(dir, fileName);
  const stored: Partial<Record<K, string>> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<K, string>>) : {};
  const created = names.filter((name) => typeof stored[name] !== 'string' || stored[name] === '');
  for (const name of created) stored[name] = randomBytes(48).toString('base64url');
  if (created.length) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return { values: stored as Record<K, string>, created };
}

/**
 * Development secrets: generated once with a CSPRNG and kept (mode 600) in the data
 * folder, so tokens survive restarts and no secret ever lives in the code.
 * Production sets JWT_ACCESS_SECRET and JWT_REFRESH_SECRET instead.
 */
export function loadOrCreateDevSecrets(dataDir: string): StoredSecrets {
  return loadOrCreate(dataDir, 'secrets.json', ['access', 'refresh'] as const).values;
}

/**
 * The embedded PostgreSQL's passwords, next to the token secrets (mode 600).
 * `created` says which were new — a new `superuser` on an existing cluster means the
 * cluster still has the old fixed password (see database/embedded-database.ts).
 */
export function loadOrCreateDatabaseSecrets(dataDir: string): { values: DatabaseSecrets; created: (keyof DatabaseSecrets)[] } {
  return loadOrCreate(dataDir, 'database-secrets.json', ['superuser', 'owner', 'api'] as const);
}
