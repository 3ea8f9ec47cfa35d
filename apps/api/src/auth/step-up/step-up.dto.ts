import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX } from '../dto/auth.dto';

export class ReauthenticateDto {
  @ApiProperty({ description: "The caller's current password.", format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class ReauthenticatedDto {
  @ApiProperty({ description: 'When this session was last authenticated: now.', format: 'date-time' })
  authenticated_at!: string;

  @ApiProperty({ description: 'How long (seconds) the sensitive actions accept this authentication.', example: 600 })
  max_age_seconds!: number;

  @ApiProperty({ description: 'Until when the sensitive actions accept it (`authenticated_at + max_age_seconds`).', format: 'date-time' })
  fresh_until!: string;
}

/** A console path: one leading slash (never `//` or `/\`, which browsers read as another host), printable ASCII. */
export const RETURN_TO_PATTERN = /^\/(?![/\\])[\x21-\x7e]*$/;

export class StartOidcStepUpDto {
  @ApiProperty({
    description:
      'The console page to come back to after the provider (a path on this site, e.g. `/security`); the browser lands there ' +
      'with `?step_up=done` or `?step_up=<problem code>`. Default `/`.',
    required: false,
    example: '/security',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(RETURN_TO_PATTERN, { message: 'return_to must be a path on this site' })
  @Matches(/^(?!\/api(\/|$))/, { message: 'return_to must be a console page' })
  return_to?: string;
}

export class OidcStepUpStartedDto {
  @ApiProperty({
    description:
      "The provider's authorization URL (`max_age=0`, `prompt=login`, PKCE, state, nonce): navigate the whole page there. " +
      'The flow is bound to this session by an HttpOnly cookie set with this answer.',
    format: 'uri',
  })
  authorization_url!: string;
}
