import { HttpException, HttpStatus } from '@nestjs/common';
import { REFRESH_REFUSALS, type SessionEndReason } from '@sessions/session-policy';
import { OIDC_REFUSALS } from './oidc-refusals';

/** Stable `code` values of the HTTP contract. Clients switch on these, never on `detail`. */
export const PROBLEM_CODES = [
  'malformed_request',
  'unauthenticated',
  'invalid_credentials',
  // A refused refresh: the library's codes, in their order (the generated client's enum).
  ...REFRESH_REFUSALS,
  'forbidden',
  'not_found',
  'conflict',
  'validation_failed',
  'rate_limited',
  'unavailable',
  'internal_error',
  // Sign-in with OpenID Connect providers and the account's sign-in policy (issue 10).
  'sso_required',
  'last_sign_in_method',
  // Step-up before sensitive actions (issue 15, ADR 0018).
  'reauthentication_required',
  ...OIDC_REFUSALS,
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
  /** Extension members of `reauthentication_required`: the window and the caller's last authentication. */
  max_age_seconds?: number;
  authenticated_at?: string;
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
    /** Further RFC 9457 extension members, rendered as they are. */
    readonly extensions?: Pick<ProblemBody, 'max_age_seconds' | 'authenticated_at'>,
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

/** "40 seconds", "1 minute", "15 minutes": the wait in words, rounded up. */
export function waitPhrase(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return seconds < 120 ? unit(seconds, 'second') : unit(Math.ceil(seconds / 60), 'minute');
}

/** 429 `rate_limited` with `Retry-After` (seconds) and the wait in the sentence. */
export const rateLimited = (reason: string, retryAfterSeconds: number) =>
  new ProblemException(
    HttpStatus.TOO_MANY_REQUESTS,
    'rate_limited',
    `${reason}; try again in ${waitPhrase(retryAfterSeconds)}.`,
    undefined,
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
