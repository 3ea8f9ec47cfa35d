import type { BlockList } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveClientIp } from '../devices/client-ip';
import type { ClientInfo } from './auth-user';
import { sanitiseHeaderText } from './string-content';

const MAX_USER_AGENT = 500;

/** Resolves the client's address and user agent once, before routing, for every request. */
export function registerClientInfoHook(fastify: FastifyInstance, trustedProxies: BlockList | null): void {
  fastify.decorateRequest('client', null);
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    const ua = request.headers['user-agent'];
    const client: ClientInfo = {
      ip: resolveClientIp(request.socket?.remoteAddress ?? request.ip, request.headers['x-forwarded-for'], trustedProxies),
      // Stored in sessions and audit rows: sanitised (not refused) so an odd client still signs in.
      userAgent: typeof ua === 'string' && ua.length > 0 ? sanitiseHeaderText(ua.slice(0, MAX_USER_AGENT)) : null,
    };
    (request as FastifyRequest & { client: ClientInfo }).client = client;
  });
}
