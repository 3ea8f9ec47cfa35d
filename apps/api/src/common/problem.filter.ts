import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { ProblemBody, ProblemCode, ProblemException } from './problem';

const CODE_BY_STATUS: Partial<Record<number, ProblemCode>> = {
  400: 'malformed_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'malformed_request',
  415: 'malformed_request',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

/** RFC 9110 reason phrases (Node's table still has some pre-9110 names). */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problemTitle = (status: number): string => TITLES[status] ?? STATUS_CODES[status] ?? 'Error';

/**
 * Client errors whose own status tells the client what to change (shorten the URL,
 * the headers, the body, or send sooner): kept as they are, with `malformed_request`.
 * Any other framework 4xx (bad JSON, bad URL encoding, unknown media type) is the
 * contract's 400.
 */
const KEPT_CLIENT_STATUS = new Set([408, 413, 414, 431]);
const CLIENT_ERROR_DETAIL: Record<number, string> = {
  408: 'The request took too long to arrive.',
  413: 'The request body is too large.',
  414: 'The request URL (or one of its path parameters) is too long.',
  431: 'The request headers are too large.',
};

/**
 * SQLSTATE classes and socket errors that mean "the database is not reachable (in time)",
 * not "the query is wrong": 57014 is a statement cut by `statement_timeout`, and
 * 'Query read timeout' the client-side bound (a frozen server).
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|57014|53300)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE =
  /is not currently accepting connections|the database system is (starting up|shutting down)|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|pool is draining|Cannot use a pool after calling end|Query read timeout|Client was closed and is not queryable/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && (UNAVAILABLE_SQLSTATE.test(candidate.code) || UNAVAILABLE_ERRNO.has(candidate.code))) {
      return true;
    }
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGE.test(candidate.message)) return true;
    e = candidate.driverError ?? candidate.cause;
  }
  return false;
}

/** Fastify's own errors (body parsing, content type, size) carry a 4xx `statusCode`. */
function fastifyClientError(error: unknown): number | undefined {
  const candidate = error as { statusCode?: unknown; code?: unknown };
  if (typeof candidate?.statusCode === 'number' && candidate.statusCode >= 400 && candidate.statusCode < 500) {
    return candidate.statusCode;
  }
  return undefined;
}

export function toProblem(exception: unknown): { body: ProblemBody; headers: Record<string, string> } {
  const make = (status: number, code: ProblemCode, detail: string, extra: Partial<ProblemBody> = {}) => ({
    type: 'about:blank',
    title: problemTitle(status),
    status,
    detail,
    code,
    ...extra,
  });
  if (exception instanceof ProblemException) {
    const status = exception.getStatus();
    const extra = {
      ...(exception.errors ? { errors: exception.errors } : {}),
      ...(exception.reason ? { reason: exception.reason } : {}),
      ...(exception.extensions ?? {}),
    };
    return { body: make(status, exception.code, exception.message, extra), headers: exception.headers ?? {} };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'malformed_request');
    const detail =
      status === 404
        ? 'No such resource.'
        : status >= 500
          ? 'An unexpected error occurred.'
          : (CLIENT_ERROR_DETAIL[status] ?? exception.message);
    return { body: make(status >= 500 && status !== 503 ? 500 : status, code, detail), headers: {} };
  }
  const clientStatus = fastifyClientError(exception);
  if (clientStatus !== undefined) {
    if (clientStatus === 404) return { body: make(404, 'not_found', 'No such resource.'), headers: {} };
    if (KEPT_CLIENT_STATUS.has(clientStatus)) {
      return {
        body: make(clientStatus, 'malformed_request', CLIENT_ERROR_DETAIL[clientStatus] ?? 'The request is malformed.'),
        headers: {},
      };
    }
    return {
      body: make(400, 'malformed_request', 'The request could not be read: send valid JSON with Content-Type application/json.'),
      headers: {},
    };
  }
  if (isDatabaseUnavailable(exception)) {
    return { body: make(503, 'unavailable', 'The database is unavailable; try again shortly.'), headers: { 'retry-after': '5' } };
  }
  return { body: make(500, 'internal_error', 'An unexpected error occurred.'), headers: {} };
}

/**
 * Renders every error as `application/problem+json` (RFC 9457) with a stable `code`.
 * Never leaks a stack trace or SQL: unexpected errors are logged with the request id and
 * answered with a generic sentence.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly spaFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { body, headers } = toProblem(exception);
    if (body.status === 404 && this.spaFallback?.(request, reply)) return;
    if (body.status >= 500) {
      this.logger.error({ err: exception, reqId: request?.id }, body.code === 'unavailable' ? 'database unavailable' : 'unhandled error');
    }
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    void reply.status(body.status).type('application/problem+json').send(body);
  }
}
