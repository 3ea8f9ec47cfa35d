import { Injectable, PipeTransform } from '@nestjs/common';
import { AppValidationPipe } from '../../common/validation';
import { RefreshDto } from './auth.dto';

/** The longest `refresh_token` RefreshDto accepts (its @MaxLength). */
const TOKEN_MAX = 4096;

/**
 * The body of `POST /auth/refresh` (the hot path), checked by hand when it has the shape
 * every real client sends — no body (cookie mode), `{}`, or `{ "refresh_token": "<string>" }`
 * of at most 4,096 UTF-16 units — which RefreshDto's rules accept too. Anything else goes to
 * the global ValidationPipe with RefreshDto, so every refusal is the same problem+json as
 * before, word for word. Skips class-transformer's instance round trip and class-validator's
 * metadata walk on every rotation. The global pipe has already checked the strings for NUL
 * and lone surrogates (the controller's parameter type is not a class, so that is all it does).
 */
@Injectable()
export class RefreshBodyPipe implements PipeTransform<unknown, Promise<RefreshDto>> {
  private readonly full = new AppValidationPipe();

  async transform(value: unknown): Promise<RefreshDto> {
    if (value === undefined) return new RefreshDto();
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      const token = (value as { refresh_token?: unknown }).refresh_token;
      if (keys.length === 0) return new RefreshDto();
      if (keys.length === 1 && keys[0] === 'refresh_token' && typeof token === 'string' && token.length <= TOKEN_MAX) {
        const dto = new RefreshDto();
        dto.refresh_token = token;
        return dto;
      }
    }
    return (await this.full.transform(value, { type: 'body', metatype: RefreshDto })) as RefreshDto;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
