import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { createOpenApiDocument } from '../src/swagger';

/**
 * Writes apps/api/openapi.json — the committed contract the console's client is
 * generated from — without a database: Nest's preview mode resolves the module
 * graph but instantiates nothing. `--check` fails when the committed file is stale.
 */
async function main(): Promise<void> {
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent' }),
    databaseUrl: 'postgresql://unused@127.0.0.1:1/unused',
    accessTokenSecret: 'x'.repeat(32),
    refreshTokenSecret: 'y'.repeat(32),
    databasePoolSize: 1,
  };
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  app.setGlobalPrefix('api');
  const document = createOpenApiDocument(app);
  const text = JSON.stringify(document, null, 2) + '\n';
  const file = join(__dirname, '..', 'openapi.json');
  if (process.argv.includes('--check')) {
    const committed = readFileSync(file, 'utf8');
    if (committed !== text) {
      process.stderr.write('apps/api/openapi.json is stale: run `npm run openapi` and commit the result.\n');
      process.exit(1);
    }
    process.stdout.write('apps/api/openapi.json is up to date\n');
  } else {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
  await app.close();
}

void main();
