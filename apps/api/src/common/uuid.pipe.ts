import { ParseUUIDPipe } from '@nestjs/common';
import { validationFailed } from './problem';

/** Path ids must be UUIDs; anything else is a 422 naming the parameter, never a database error. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'id', message: 'id must be a UUID' }]),
});
