import { HttpException, HttpStatus } from '@nestjs/common';
import type { SessionEndReason } from '@sessions/session-policy';

/** Stable `code` values of the HTTP contract. Clients switch on these, never on `detail`. */
export const PROBLEM_CODES = [
  'malformed_request',
  'unauthenticated',
  'invalid_credentials',
  'invalid_refresh_token',
  'session_expired_idle',
  'session_expired_absolute',
  'forbidden',
  'not_found',
  'conflict',
  'validation_failed',
  'rate_limited',
  'unavailable',
  'internal_error',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: FieldError[];
  /** Extension member of a refused refresh whose session ended: why it ended. */
  reason?: SessionEndReason;
}

/** An error with a contract `code`; the global filter renders it as RFC 9457 problem+json. */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ProblemCode,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    readonly reason?: SessionEndReason,
  ) {
    super(detail, status);
  }
}

export const unauthenticated = (detail = 'A valid access token is required.') =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthenticated', detail);

export const notFound = (detail = 'The resource does not exist.') => new ProblemException(HttpStatus.NOT_FOUND, 'not_found', detail);

export const conflict = (detail: string) => new ProblemException(HttpStatus.CONFLICT, 'conflict', detail);

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid.') =>
  new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'validation_failed', detail, errors);
