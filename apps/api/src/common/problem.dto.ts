import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_CODES, ProblemCode } from './problem';

export class FieldErrorDto {
  @ApiProperty({ description: 'The offending field (dotted path for nested fields).', example: 'email' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'email must be an email' })
  message!: string;
}

/** RFC 9457 problem details, as every error of this API is rendered. */
export class ProblemDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Unauthorized' })
  title!: string;

  @ApiProperty({ example: 401 })
  status!: number;

  @ApiProperty({ description: 'A human sentence; do not parse it.', example: 'The refresh token is not valid.' })
  detail!: string;

  @ApiProperty({ description: 'Stable machine-readable code.', enum: PROBLEM_CODES, example: 'invalid_refresh_token' })
  code!: ProblemCode;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present with `validation_failed`.' })
  errors?: FieldErrorDto[];
}
