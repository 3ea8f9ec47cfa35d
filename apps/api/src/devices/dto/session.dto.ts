import { ApiProperty } from '@nestjs/swagger';
import type { SessionEntity } from '../../sessions/session.entity';
import type { GeoLocation } from '../geo-location';
import { DEVICE_TYPES, DeviceType, describeUserAgent } from '../user-agent';

/** What the service knows about one of the caller's sessions. */
export interface DeviceSession {
  session: SessionEntity;
  location: GeoLocation | null;
  isCurrent: boolean;
}

export class LocationDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'City, when the database knows it.',
    example: 'San Francisco',
  })
  city!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Region (state, province), when the database knows it.',
    example: 'California',
  })
  region!: string | null;

  @ApiProperty({
    description: 'ISO 3166-1 alpha-2 country code.',
    example: 'US',
  })
  country!: string;
}

/** One signed-in device of the caller (the contract's "session (device) item"). */
export class SessionDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Session (device) id: the `sid` claim, stable across token rotation.',
  })
  id!: string;

  @ApiProperty({
    description: 'Human-readable device, from the user agent.',
    example: 'Chrome on macOS',
  })
  device_label!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Browser and major version; null when unknown.',
    example: 'Chrome 130',
  })
  browser!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Operating system and version; null when unknown.',
    example: 'macOS 10.15',
  })
  os!: string | null;

  @ApiProperty({
    enum: DEVICE_TYPES,
    enumName: 'DeviceType',
    description: 'Kind of device.',
    example: 'desktop',
  })
  device_type!: DeviceType;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The raw User-Agent header of the last sign-in or refresh (≤ 500 characters).',
  })
  user_agent!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Client address of the last sign-in or refresh.',
    example: '203.0.113.7',
  })
  ip!: string | null;

  @ApiProperty({
    type: LocationDto,
    nullable: true,
    description: 'Approximate place of `ip` (IP geolocation by DB-IP, https://db-ip.com); null for private, loopback or unknown addresses.',
  })
  location!: LocationDto | null;

  @ApiProperty({ format: 'date-time', description: 'When the device signed in.' })
  created_at!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Last sign-in or token refresh from this device.',
  })
  last_used_at!: string;

  @ApiProperty({
    description: 'True for the session of the access token making this call.',
  })
  is_current!: boolean;
}

export function mapSession(device: DeviceSession): SessionDto {
  const { session, location } = device;
  const description = describeUserAgent(session.userAgent);
  return {
    id: session.id,
    device_label: description.deviceLabel,
    browser: description.browser,
    os: description.os,
    device_type: description.deviceType,
    user_agent: session.userAgent,
    ip: session.ip,
    location: location === null ? null : { city: location.city, region: location.region, country: location.country },
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    is_current: device.isCurrent,
  };
}
