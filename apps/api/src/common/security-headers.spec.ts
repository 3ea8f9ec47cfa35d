import fastifyHelmet from '@fastify/helmet';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { registerSecurityHeaders } from './security-headers';

describe('registerSecurityHeaders (helmet computed once, issue 11)', () => {
  const options = {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], upgradeInsecureRequests: null } },
  };

  const served = async (register: (fastify: FastifyInstance) => Promise<unknown>) => {
    const fastify = new FastifyAdapter().getInstance();
    await register(fastify);
    fastify.get('/json', async () => ({ ok: true }));
    fastify.get('/boom', async () => {
      throw new Error('boom');
    });
    try {
      const json = await fastify.inject({ method: 'GET', url: '/json' });
      const error = await fastify.inject({ method: 'GET', url: '/boom' });
      const missing = await fastify.inject({ method: 'GET', url: '/nowhere' });
      // The date moves between requests; every other header must match.
      const strip = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'));
      return [json, error, missing].map((response) => strip(response.headers));
    } finally {
      await fastify.close();
    }
  };

  it('serves exactly the headers @fastify/helmet serves, on answers, errors and unknown routes', async () => {
    const fromPlugin = await served(async (fastify) => {
      await fastify.register(fastifyHelmet, options);
    });
    const computedOnce = await served((fastify) => registerSecurityHeaders(fastify, options));
    expect(computedOnce).toEqual(fromPlugin);
    expect(computedOnce[0]['content-security-policy']).toContain("script-src 'self';");
    expect(computedOnce[0]['x-content-type-options']).toBe('nosniff');
  });
});
