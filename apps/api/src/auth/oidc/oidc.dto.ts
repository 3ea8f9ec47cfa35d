import { ApiProperty } from '@nestjs/swagger';

export class ProviderDto {
  @ApiProperty({ description: 'Provider id: the path segment of `/api/auth/oauth/{provider}/authorize`.', example: 'google' })
  id!: string;

  @ApiProperty({ description: 'Name to show on the "Sign in with …" button.', example: 'Google' })
  display_name!: string;
}
