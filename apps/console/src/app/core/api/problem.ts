import { HttpErrorResponse } from '@angular/common/http';
import type { FieldErrorDto, ProblemCode } from '@sessions/api-client';

/** What the console needs from a failed call, whatever shape the failure had. */
export interface Problem {
  status: number;
  code: ProblemCode | null;
  /** A sentence fit for a snack-bar. */
  detail: string;
  errors: FieldErrorDto[];
  /** The `reason` extension member of a refused refresh: why the session ended. */
  reason: string | null;
}

const OFFLINE = "Can't reach the server. Check your connection and try again.";
const UNEXPECTED = 'Something went wrong. Please try again.';

/**
 * Reads an `application/problem+json` answer (RFC 9457) out of any error.
 *
 * Bodies of calls made with `responseType: 'text'` (e.g. 204 endpoints) arrive
 * as strings, so they are parsed here too.
 */
export function problemOf(error: unknown): Problem {
  // A resource keeps what its stream failed with as the `cause` of an Error when it isn't one.
  if (error instanceof Error && error.cause instanceof HttpErrorResponse) {
    return problemOf(error.cause);
  }
  if (!(error instanceof HttpErrorResponse)) {
    return { status: 0, code: null, detail: UNEXPECTED, errors: [], reason: null };
  }
  if (error.status === 0) {
    return { status: 0, code: null, detail: OFFLINE, errors: [], reason: null };
  }
  const body = parseBody(error.error);
  return {
    status: error.status,
    code: typeof body?.['code'] === 'string' ? (body['code'] as ProblemCode) : null,
    detail: typeof body?.['detail'] === 'string' && body['detail'] ? body['detail'] : UNEXPECTED,
    errors: Array.isArray(body?.['errors']) ? (body['errors'] as FieldErrorDto[]) : [],
    reason: typeof body?.['reason'] === 'string' ? body['reason'] : null,
  };
}

function parseBody(raw: unknown): Record<string, unknown> | null {
  if (typeof raw === 'string') {
    try {
      return parseBody(JSON.parse(raw));
    } catch {
      return null;
    }
  }
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : null;
}
