import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ProblemException } from './problem';
import { toProblem } from './problem.filter';

const FORM_ROUTES = new Set(['/api/auth/login']);

/**
 * A request body must be JSON (or, for the OAuth2 password form, urlencoded). Any
 * other content type is a 400 `malformed_request` before routing, instead of a
 * string body reaching validation.
 */
export function registerContentTypeHook(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const length = Number(request.headers['content-length'] ?? 0);
    const hasBody = length > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return;
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const path = request.url.split('?')[0];
    const allowed =
      type === 'application/json' || type.endsWith('+json') || (type === 'application/x-www-form-urlencoded' && FORM_ROUTES.has(path));
    if (allowed) return;
    const { body } = toProblem(
      new ProblemException(
        HttpStatus.BAD_REQUEST,
        'malformed_request',
        `Unsupported content type '${type || 'none'}': send application/json.`,
      ),
    );
    return reply.status(body.status).type('application/problem+json').send(body);
  });
}
