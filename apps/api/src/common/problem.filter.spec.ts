import { BadRequestException, HttpStatus, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError } from 'typeorm';
import { ProblemException } from './problem';
import { isDatabaseUnavailable, toProblem } from './problem.filter';

describe('toProblem', () => {
  it('keeps the code, detail and field errors of a ProblemException', () => {
    const { body } = toProblem(
      new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'validation_failed', 'bad', [{ field: 'x', message: 'y' }]),
    );
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'bad',
      code: 'validation_failed',
      errors: [{ field: 'x', message: 'y' }],
    });
  });

  it('renders the reason extension member of a refused refresh, and omits it otherwise', () => {
    const refused = new ProblemException(
      HttpStatus.UNAUTHORIZED,
      'invalid_refresh_token',
      'signed out',
      undefined,
      undefined,
      'signed_out',
    );
    expect(toProblem(refused).body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'signed out',
      code: 'invalid_refresh_token',
      reason: 'signed_out',
    });
    expect(toProblem(new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid_refresh_token', 'x')).body).not.toHaveProperty('reason');
  });

  it('maps framework exceptions to contract codes', () => {
    expect(toProblem(new NotFoundException()).body).toMatchObject({ status: 404, code: 'not_found' });
    expect(toProblem(new BadRequestException()).body).toMatchObject({ status: 400, code: 'malformed_request' });
    expect(toProblem(new ThrottlerException()).body).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('never leaks SQL or a stack trace from an unexpected error', () => {
    const error = new QueryFailedError('SELECT secret FROM t', [], new Error('column "secret" does not exist'));
    const { body } = toProblem(error);
    expect(body).toMatchObject({ status: 500, code: 'internal_error' });
    expect(JSON.stringify(body)).not.toMatch(/SELECT|secret|at /);
  });

  it('answers 503 unavailable when the database cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('q', [], Object.assign(new Error('terminating'), { code: '57P01' })))).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('q', [], Object.assign(new Error('dup'), { code: '23505' })))).toBe(false);
    expect(toProblem(refused).body).toMatchObject({ status: 503, code: 'unavailable' });
  });
});
