import { HttpErrorResponse } from '@angular/common/http';
import { problemOf } from './problem';

describe('problemOf', () => {
  it('reads code, detail, field errors and the refusal reason of a problem+json body', () => {
    const error = new HttpErrorResponse({
      status: 401,
      error: {
        code: 'invalid_refresh_token',
        detail: 'The session ended.',
        errors: [{ field: 'x', message: 'y' }],
        reason: 'revoked_by_owner',
      },
    });
    expect(problemOf(error)).toEqual({
      status: 401,
      code: 'invalid_refresh_token',
      detail: 'The session ended.',
      errors: [{ field: 'x', message: 'y' }],
      reason: 'revoked_by_owner',
    });
  });

  it('parses a body that arrived as text (calls made with responseType text)', () => {
    const error = new HttpErrorResponse({ status: 409, error: JSON.stringify({ code: 'conflict', detail: 'Already there.' }) });
    expect(problemOf(error)).toMatchObject({ status: 409, code: 'conflict', detail: 'Already there.', errors: [] });
  });

  it('says the server cannot be reached for a network failure (status 0)', () => {
    expect(problemOf(new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') }))).toEqual({
      status: 0,
      code: null,
      detail: "Can't reach the server. Check your connection and try again.",
      errors: [],
      reason: null,
    });
  });

  it('falls back to a generic sentence for bodies that are not problems (an HTML error page, garbage, wrong types)', () => {
    for (const body of ['<html>502 Bad Gateway</html>', '{not json', null, { code: 42, detail: '', errors: 'no', reason: 7 }]) {
      const problem = problemOf(new HttpErrorResponse({ status: 502, error: body }));
      expect(problem).toEqual({ status: 502, code: null, detail: 'Something went wrong. Please try again.', errors: [], reason: null });
    }
  });

  it('treats anything that is not an HTTP error as unexpected', () => {
    expect(problemOf(new TypeError('boom'))).toMatchObject({ status: 0, code: null, detail: 'Something went wrong. Please try again.' });
    expect(problemOf(undefined).code).toBeNull();
  });

  it('reads the HTTP error a resource wrapped as the cause of its own error', () => {
    const http = new HttpErrorResponse({ status: 403, error: { code: 'forbidden', detail: 'Owners only.' } });
    expect(problemOf(new Error('wrapped', { cause: http }))).toMatchObject({ status: 403, code: 'forbidden', detail: 'Owners only.' });
  });
});
