import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  isISO8601,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  isRFC3339,
  IsString,
  Max,
  Min,
  Validate,
  ValidateBy,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES, AuditAction, AuditResourceType } from '@sessions/audit';
import { decodeAuditCursor } from '../audit-cursor';
import type { AuditEventRow } from '../audit-events.repository';
import type { AuditEventPage } from '../audit-event-page';

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/** RFC 3339 date-time with a time zone, and a real calendar date (no 30 February). */
function IsDateTime() {
  return ValidateBy({
    name: 'isDateTime',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isRFC3339(value) && isISO8601(value, { strict: true }),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO-8601 date-time with a time zone, e.g. 2026-01-01T00:00:00Z`,
    },
  });
}

@ValidatorConstraint({ name: 'isAuditCursor' })
class IsAuditCursor implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeAuditCursor(value) !== null;
  }

  defaultMessage(): string {
    return 'cursor must be a next_cursor returned by this endpoint';
  }
}

/** The filters the audit page and the export share. */
export class AuditEventFilterQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, enumName: 'AuditAction', description: 'Only events of this action.' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events done by this user (a member id of your account).' })
  @IsOptional()
  @IsUUID('all', { message: 'actor must be a UUID' })
  actor?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only events at or after this instant (inclusive), RFC 3339 with a time zone.',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateTime()
  since?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only events before this instant (exclusive), RFC 3339 with a time zone.',
    example: '2026-02-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateTime()
  until?: string;
}

export class ListAuditEventsQueryDto extends AuditEventFilterQueryDto {
  @ApiPropertyOptional({ description: 'Opaque position from the previous page’s `next_cursor`.' })
  @IsOptional()
  @IsString()
  @Validate(IsAuditCursor)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT, description: 'Page size.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;
}

export const AUDIT_EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export class ExportAuditEventsQueryDto extends AuditEventFilterQueryDto {
  @ApiProperty({
    enum: AUDIT_EXPORT_FORMATS,
    enumName: 'AuditExportFormat',
    description: 'CSV (one row per event) or NDJSON (one event object per line).',
  })
  @IsIn(AUDIT_EXPORT_FORMATS, { message: `format must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}` })
  format!: AuditExportFormat;
}

export class AuditActorDto {
  @ApiProperty({ format: 'uuid', description: 'The user who did it.' })
  user_id!: string;

  @ApiProperty({ type: String, nullable: true, description: "The actor's email, null when the user no longer exists." })
  email!: string | null;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid', description: 'Event id.' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'When it happened (UTC).' })
  occurred_at!: string;

  @ApiProperty({ enum: AUDIT_ACTIONS, enumName: 'AuditAction', description: 'What happened.' })
  action!: AuditAction;

  @ApiProperty({ type: AuditActorDto, nullable: true, description: 'Who did it; null for anonymous events.' })
  actor!: AuditActorDto | null;

  @ApiProperty({ enum: AUDIT_RESOURCE_TYPES, enumName: 'AuditResourceType', description: 'Kind of thing acted on.' })
  resource_type!: AuditResourceType;

  @ApiProperty({ type: String, nullable: true, description: 'Id of the thing acted on.' })
  resource_id!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Action-specific details (see the action catalogue); never secrets.',
  })
  details!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: 'Client address of the request.' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'User agent of the request.' })
  user_agent!: string | null;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first.' })
  items!: AuditEventDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page.' })
  next_cursor!: string | null;
}

export function mapAuditEvent(row: AuditEventRow): AuditEventDto {
  return {
    id: row.id,
    occurred_at: row.occurredAt.toISOString(),
    action: row.action,
    actor: row.actorUserId === null ? null : { user_id: row.actorUserId, email: row.actorEmail },
    resource_type: row.resourceType,
    resource_id: row.resourceId,
    details: row.details,
    ip: row.ip,
    user_agent: row.userAgent,
  };
}

export function mapAuditEventPage(page: AuditEventPage): AuditEventPageDto {
  return { items: page.items.map(mapAuditEvent), next_cursor: page.nextCursor };
}
