import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Starts one real PostgreSQL for the whole run and migrates a template database
 * once; every test file clones it (CREATE DATABASE … TEMPLATE), a file copy.
 * globalSetup runs outside jest's module resolver, so the workspace path aliases
 * are registered before the API code is loaded.
 */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  register({ baseUrl: root, paths: base.compilerOptions.paths });
  const { startTestDatabaseServer } = require('./test-database-server') as typeof import('./test-database-server');
  await startTestDatabaseServer();
}
