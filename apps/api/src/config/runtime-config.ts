import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
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

/**
 * Development secrets: generated once with a CSPRNG and kept (mode 600) in the data
 * folder, so tokens survive restarts and no secret ever lives in the code.
 * Production sets JWT_ACCESS_SECRET and JWT_REFRESH_SECRET instead.
 */
export function loadOrCreateDevSecrets(dataDir: string): StoredSecrets {
  const dir = resolve(dataDir);
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  mkdirSync(dir, { recursive: true });
  const secrets: StoredSecrets = {
    access: randomBytes(48).toString('base64url'),
    refresh: randomBytes(48).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
