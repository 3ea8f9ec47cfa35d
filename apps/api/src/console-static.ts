import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** `main-RUE4AAQE.js`, `chunk-33FTQ7H3.js`, `styles-CGIRAS6X.css`: Angular's content hashes. */
const FINGERPRINTED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
/** A fingerprinted file never changes under its name: caches keep it for a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, favicon) is revalidated on every use so a deploy shows at once. */
export const REVALIDATE = 'no-cache';

/** The cache policy for a served file; `.br`/`.gz` siblings count as the file they compress. */
export function cacheControlFor(path: string): string {
  const name = basename(path).replace(/\.(br|gz)$/, '');
  return FINGERPRINTED.test(name) ? IMMUTABLE : REVALIDATE;
}

/**
 * Serves the built console: the `.br`/`.gz` files `tools/precompress.mjs` wrote at build time
 * (chosen by Accept-Encoding, `Vary: Accept-Encoding`), immutable caching for fingerprinted
 * files and `no-cache` for the rest. Returns the SPA fallback for the problem filter: deep links
 * (e.g. /devices) asked for as HTML get index.html; /api stays JSON.
 */
export async function serveConsole(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  consoleDir: string,
  apiPrefix: string,
): Promise<(request: FastifyRequest, reply: FastifyReply) => boolean> {
  const indexHtml = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  await app.register(fastifyStatic, {
    root: consoleDir,
    prefix: '/',
    wildcard: false,
    index: false,
    preCompressed: true,
    // The compressed copies are chosen by Accept-Encoding, not addressed by their own URLs.
    globIgnore: ['**/*.br', '**/*.gz'],
    cacheControl: false,
    setHeaders: (reply, path) => void reply.header('cache-control', cacheControlFor(path)),
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.status(200).header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(indexHtml);
  fastify.get('/', (_request, reply) => sendIndex(reply));
  return (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith(`/${apiPrefix}`)) return false;
    if (!String(request.headers.accept ?? '').includes('text/html')) return false;
    void sendIndex(reply);
    return true;
  };
}
