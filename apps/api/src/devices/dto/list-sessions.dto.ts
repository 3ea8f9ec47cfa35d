import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { decodeDeviceCursor } from '../device-cursor';

/** The largest page; the default page is the live-session cap (SESSION_MAX_PER_USER). */
export const DEVICE_PAGE_MAX = 200;

/** The response header that carries the next page's cursor (absent on the last page). */
export const NEXT_CURSOR_HEADER = 'Next-Cursor';

@ValidatorConstraint({ name: 'isDeviceCursor' })
class IsDeviceCursor implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeDeviceCursor(value) !== null;
  }

  defaultMessage(): string {
    return 'cursor must be a Next-Cursor header returned by this endpoint';
  }
}

export class ListSessionsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: DEVICE_PAGE_MAX,
    description:
      'Page size. Default: the live-session cap per user (SESSION_MAX_PER_USER, 50 unless configured), so one page shows them all.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(DEVICE_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque position from the previous page’s `Next-Cursor` response header.' })
  @IsOptional()
  @IsString()
  @Validate(IsDeviceCursor)
  cursor?: string;
}
