import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * The headers @fastify/helmet sets with `options`, found once by asking it on a
 * throwaway Fastify instance (the names a bare instance also sets are left out).
 */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string][]> {
  const probe = async (withHelmet: boolean) => {
    const fastify = new FastifyAdapter().getInstance();
    if (withHelmet) await fastify.register(fastifyHelmet, options);
    fastify.get('/', async () => '');
    try {
      return (await fastify.inject({ method: 'GET', url: '/' })).headers;
    } finally {
      await fastify.close();
    }
  };
  const [bare, helmeted] = [await probe(false), await probe(true)];
  return Object.entries(helmeted)
    .filter(([name, value]) => !(name in bare) && typeof value === 'string')
    .map(([name, value]) => [name, value as string]);
}

/**
 * Security headers on every response, computed once. @fastify/helmet builds helmet's whole
 * middleware — option checks, CSP directive parsing — again on every request (two hooks,
 * `helmet(configuration)` each time) although our configuration never varies per route or
 * request (no nonces); here they are set on the raw response as helmet itself would.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance, options: FastifyHelmetOptions): Promise<void> {
  const headers = await helmetHeaders(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
