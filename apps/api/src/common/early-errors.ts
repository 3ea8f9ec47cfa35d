import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { problemTitle, toProblem } from './problem.filter';
import type { ProblemBody } from './problem';

/**
 * Errors Fastify raises while routing, before any hook or Nest filter runs (a path
 * parameter over `maxParamLength` → 414, a URL that is not valid percent-encoding → 400).
 * Without this handler Fastify answers them in its own plain JSON.
 */
export function frameworkErrorHandler(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { body, headers } = toProblem(error);
  for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
  void reply.header('x-request-id', request.id).status(body.status).type('application/problem+json').send(body);
}

/** What Node's HTTP parser refuses, by its error code; everything else is a 400. */
function clientErrorStatus(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

const CLIENT_ERROR_DETAIL: Record<number, string> = {
  400: 'The request is not valid HTTP.',
  408: 'The request took too long to arrive.',
  431: 'The request headers are too large.',
};

/**
 * Node's HTTP parser refuses some requests (headers over `maxHeaderSize`, bytes that are
 * not HTTP, header values with control characters) before Fastify sees a request. Then
 * only the raw socket is left, so the problem+json answer is written by hand.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = clientErrorStatus(error);
  const body: ProblemBody = {
    type: 'about:blank',
    title: problemTitle(status),
    status,
    detail: CLIENT_ERROR_DETAIL[status] ?? 'The request is not valid HTTP.',
    code: 'malformed_request',
  };
  const payload = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${problemTitle(status)}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        payload,
    );
  }
  socket.destroy(error);
}
