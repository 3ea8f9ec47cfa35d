import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm start` in a terminal, then Ctrl-C: the terminal sends SIGINT to the whole foreground
 * process group, the API and its embedded PostgreSQL alike. The API must still drain, stop
 * PostgreSQL itself and exit 0 without a FATAL line or a stack trace.
 */
describe('Ctrl-C in a terminal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessions-ctrl-c-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops quietly when the whole process group gets SIGINT', async () => {
    chmodSync(dataDir, 0o755); // the postgres user must reach it when tests run as root
    const port = await freePort();
    // detached: its own process group, like a command started from a shell.
    const server = spawn(process.execPath, ['-r', '@swc-node/register', join('apps', 'api', 'src', 'main.ts')], {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join('apps', 'api', 'tsconfig.app.json'),
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        ARGON2_MEMORY_KIB: '1024',
        ARGON2_ITERATIONS: '1',
        SESSION_SWEEP_INTERVAL_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    server.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 900 && !/Sessions is running/.test(stdout) && server.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stdout).toContain('Sessions is running');
    // A request in flight keeps connections in the pool: the case that used to print FATAL.
    await fetch(`http://127.0.0.1:${port}/api/health`);

    process.kill(-(server.pid as number), 'SIGINT');
    const code = await exited;

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/FATAL|terminating connection|"level":(40|50)|\n\s+at /);
  }, 120_000);
});
