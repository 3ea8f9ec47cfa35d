import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
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
