import { NGINX_MISSING, findNginx, startReplicas } from './replicas';

/** `npm run start:replicas -- N`: N API replicas behind nginx on PORT (3000), until Ctrl-C. */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '2');
  if (!Number.isInteger(count) || count < 1 || count > 32) throw new Error('usage: npm run start:replicas -- <count 1..32>');
  if (!findNginx()) throw new Error(NGINX_MISSING);
  const port = Number(process.env['PORT'] || 3000);
  const dataDir = process.env['DATA_DIR'] || './.data';
  const started = await startReplicas({ count, port, dataDir });
  process.stdout.write(
    [
      '',
      `Sessions: ${count} replicas behind nginx at ${started.url}/ (console, /api/docs, /api/health/ready)`,
      ...started.replicas.map(
        (r) => `  replica ${r.index}: ${r.url}${r.index === 1 && !process.env['DATABASE_URL'] ? ' (owns the embedded PostgreSQL)' : ''}`,
      ),
      `  nginx config: ${started.nginxConf}`,
      '  Ctrl-C stops nginx, then the replicas (replica 1 last).',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void started.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`start:replicas: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
