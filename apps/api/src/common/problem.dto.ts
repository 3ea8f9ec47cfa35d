import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SESSION_END_REASONS, type SessionEndReason } from '@sessions/session-policy';
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

  @ApiPropertyOptional({
    description:
      'Present on a refused `POST /auth/refresh` whose token belonged to a session that has ended: why it ended. ' +
      '`expired_idle` / `expired_absolute` come with the matching `session_expired_*` code, every other reason with ' +
      '`invalid_refresh_token`. Absent when the token is unknown, forged or malformed.',
    enum: SESSION_END_REASONS,
    enumName: 'SessionEndReason',
    example: 'signed_out_elsewhere',
  })
  reason?: SessionEndReason;

  @ApiPropertyOptional({
    description: 'Present with `reauthentication_required`: how recent (seconds) an authentication this action needs.',
    example: 600,
  })
  max_age_seconds?: number;

  @ApiPropertyOptional({
    description:
      'Present with `reauthentication_required`: when the caller last authenticated on this session (sign-in or `POST /auth/reauthenticate`).',
    format: 'date-time',
    example: '2026-11-25T09:00:00.000Z',
  })
  authenticated_at?: string;
}
