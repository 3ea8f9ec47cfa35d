import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/dto/auth.dto';
import { ROLES, Role } from '../../common/auth/roles';
import type { UserEntity } from '../user.entity';

export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'User id.' }) id!: string;
  @ApiProperty({ description: 'Display name.' }) name!: string;
  @ApiProperty({ description: 'Sign-in email (lower-cased).' }) email!: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'Role in the account.' }) role!: Role;
  @ApiProperty({ description: 'false: deactivated, cannot sign in.' }) is_active!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last successful sign-in, null if never.' })
  last_login_at!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Live sessions (signed-in devices) of the member right now.' })
  active_session_count!: number;
}

/** A member with how many devices they are signed in on. */
export interface MemberView {
  user: UserEntity;
  activeSessionCount: number;
}

export function mapMember({ user, activeSessionCount }: MemberView): MemberDto {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    is_active: user.isActive,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    active_session_count: activeSessionCount,
  };
}

export class CreateMemberDto {
  @ApiProperty({ description: 'Display name.', example: 'Grace Hopper' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'Sign-in email, unique across the service.', example: 'grace@acme.test' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'Role in this account.' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty({ description: `Initial password, ${PASSWORD_MIN}–${PASSWORD_MAX} characters.`, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class UpdateMemberDto {
  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role', description: 'New role.' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'false deactivates the member and ends all their sessions.' })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}
