import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../../common/auth/roles';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Passwords: at least 8 characters (NIST SP 800-63B), at most 256 so hashing cost stays bounded. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export class SignupDto {
  @ApiProperty({ description: 'Name of the new account (organisation).', example: 'Acme Inc.', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  account_name!: string;

  @ApiProperty({ description: "The owner's display name.", example: 'Ada Lovelace', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'Sign-in email, unique across the service (stored lower-cased).', example: 'ada@acme.test' })
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({
    description: `Password, ${PASSWORD_MIN}–${PASSWORD_MAX} characters.`,
    example: 'correct horse battery staple',
    format: 'password',
  })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class LoginJsonDto {
  @ApiProperty({ description: 'Sign-in email.', example: 'owner@demo.test' })
  @Transform(lower)
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  email!: string;

  @ApiProperty({ description: 'Password.', format: 'password', example: 'demo-owner-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

/** OAuth2 password grant form (what Swagger UI's "Authorize" sends). */
export class LoginFormDto {
  @ApiProperty({ description: 'Sign-in email.', example: 'owner@demo.test' })
  @Transform(lower)
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  username!: string;

  @ApiProperty({ description: 'Password.', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password!: string;

  @ApiPropertyOptional({ description: 'OAuth2 grant type; only `password` is supported.', example: 'password' })
  @IsOptional()
  @IsString()
  grant_type?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 form field).' })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 form field).' })
  @IsOptional()
  @IsString()
  client_id?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 form field).' })
  @IsOptional()
  @IsString()
  client_secret?: string;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token; omit in cookie mode (`X-Token-Transport: cookie`).' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refresh_token?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The current password.', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  current_password!: string;

  @ApiProperty({ description: `The new password, ${PASSWORD_MIN}–${PASSWORD_MAX} characters.`, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  new_password!: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'JWT access token, valid `expires_in` seconds.' })
  access_token!: string;

  @ApiPropertyOptional({ description: 'Single-use refresh token; absent in cookie mode, where it travels in an HttpOnly cookie.' })
  refresh_token?: string;

  @ApiProperty({ enum: ['bearer'], example: 'bearer', description: 'Always `bearer`.' })
  token_type!: 'bearer';

  @ApiProperty({ description: 'Access token lifetime in seconds.', example: 300 })
  expires_in!: number;

  @ApiProperty({ description: 'When the session ends if unused (refresh before then).', format: 'date-time' })
  idle_expires_at!: string;

  @ApiProperty({ description: 'When the session ends whatever happens (sign in again).', format: 'date-time' })
  absolute_expires_at!: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid', description: 'User id.' }) id!: string;
  @ApiProperty({ format: 'uuid', description: "The user's account (tenant)." }) account_id!: string;
  @ApiProperty({ description: 'Sign-in email.' }) email!: string;
  @ApiProperty({ description: 'Display name.' }) name!: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'Role in the account.' }) role!: Role;
  @ApiProperty({ format: 'uuid', description: 'The current session (device) id.' }) session_id!: string;
  @ApiProperty({
    description:
      'Whether the password can confirm it is you (`POST /api/auth/reauthenticate`): false for members of an account that ' +
      'requires external sign-in, who step up with a linked provider instead (`POST /api/auth/reauthenticate/oauth/{provider}`).',
  })
  password_step_up!: boolean;
}
