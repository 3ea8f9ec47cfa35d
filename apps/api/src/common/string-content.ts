import type { FieldError } from './problem';
import { MAX_JSON_DEPTH } from './json-body';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Why a string may not be stored: PostgreSQL refuses NUL in text (and in jsonb), and a
 * lone UTF-16 surrogate is not Unicode at all — the driver would silently store U+FFFD
 * instead of what the client sent. Null when the string is fine.
 */
export function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (no lone surrogates)';
  return null;
}

/**
 * Walks a request's body, query or params and names every string (or key) that may not
 * be stored; also a second guard on depth for inputs that did not come through the JSON
 * parser (forms, queries).
 */
export function findStringProblems(value: unknown, path = '', depth = 0): FieldError[] {
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    return problem ? [{ field: path || 'body', message: `${path || 'body'} ${problem}` }] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  if (depth > MAX_JSON_DEPTH) return [{ field: path || 'body', message: 'nested too deeply' }];
  const errors: FieldError[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const keyProblem = stringProblem(key);
    const safeKey = keyProblem ? sanitiseHeaderText(key) : key;
    const field = path ? `${path}.${safeKey}` : safeKey;
    if (keyProblem) errors.push({ field, message: `field names ${keyProblem}` });
    errors.push(...findStringProblems(child, field, depth + 1));
  }
  return errors;
}

/**
 * Free text from headers (User-Agent) is informational: a client with an odd agent
 * string should still sign in, so control characters and lone surrogates become U+FFFD
 * instead of failing the request.
 */
export function sanitiseHeaderText(value: string): string {
  return value.replace(CONTROL, '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}
