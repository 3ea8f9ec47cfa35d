import { ApiProperty } from '@nestjs/swagger';
import type { UserIdentityEntity } from '../user-identity.entity';

export class IdentityDto {
  @ApiProperty({ format: 'uuid', description: 'Id of the link (what DELETE takes).' })
  id!: string;

  @ApiProperty({ description: 'Provider id, as in `GET /api/auth/providers`.', example: 'google' })
  provider!: string;

  @ApiProperty({ description: "The provider's display name; the id when the provider is no longer configured.", example: 'Google' })
  display_name!: string;

  @ApiProperty({ description: 'The email the provider asserted at the last sign-in.', example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ format: 'date-time', description: 'When the first sign-in linked it.' })
  linked_at!: string;

  @ApiProperty({ format: 'date-time', description: 'Last sign-in with it.' })
  last_used_at!: string;
}

export function mapIdentity(identity: UserIdentityEntity, displayName: string | undefined): IdentityDto {
  return {
    id: identity.id,
    provider: identity.provider,
    display_name: displayName ?? identity.provider,
    email: identity.email,
    linked_at: identity.linkedAt.toISOString(),
    last_used_at: identity.lastUsedAt.toISOString(),
  };
}
