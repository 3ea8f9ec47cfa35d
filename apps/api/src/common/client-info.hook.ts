import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientIpOf, type TrustProxy } from './client-ip';
import type { ClientInfo } from './auth-user';
import { sanitiseHeaderText } from './string-content';

const MAX_USER_AGENT = 500;

/**
 * Resolves the client's address and user agent once, before routing, for every request.
 * `trust` must be the `trustProxy` Fastify was built with (it resolved `request.ip`/`ips`).
 */
export function registerClientInfoHook(fastify: FastifyInstance, trust: TrustProxy): void {
  fastify.decorateRequest('client', null);
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    const ua = request.headers['user-agent'];
    const client: ClientInfo = {
      ip: clientIpOf(request, trust),
      // Stored in sessions and audit rows: sanitised (not refused) so an odd client still signs in.
      userAgent: typeof ua === 'string' && ua.length > 0 ? sanitiseHeaderText(ua.slice(0, MAX_USER_AGENT)) : null,
    };
    (request as FastifyRequest & { client: ClientInfo }).client = client;
  });
}
