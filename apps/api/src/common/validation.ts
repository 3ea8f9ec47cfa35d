import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationFailed } from './problem';
import { findStringProblems } from './string-content';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const CHECKED = new Set<ArgumentMetadata['type']>(['body', 'query', 'param']);

/**
 * Global pipe: unknown fields are errors, failures are 422 `validation_failed` with `errors[]`.
 * Before any DTO rule, every string the client sent (values and keys, at any depth) must
 * be storable — no NUL, no lone surrogate — so such input never reaches PostgreSQL.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // One message per field: the first failing rule is the useful one.
      stopAtFirstError: true,
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (CHECKED.has(metadata.type)) {
      const problems = findStringProblems(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (problems.length > 0) throw validationFailed(problems);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe();
}
