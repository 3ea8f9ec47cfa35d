import { ApiProperty } from '@nestjs/swagger';

/** The answer of every "end these sessions" call: how many this call ended. */
export class RevokedCountDto {
  @ApiProperty({
    description: 'How many sessions this call ended (0 when there were none, so a repeated call answers 0).',
    example: 2,
    minimum: 0,
  })
  revoked_count!: number;
}
