import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, ValidateIf } from 'class-validator';
import { POLICY_PRESETS, PolicyPreset } from '@sessions/session-policy';
import type { ActiveUser, SecurityPolicyView } from '../security-policy.view';

/** `undefined` means "absent: leave the override as it is"; `null` clears it, so only other values are checked. */
const isPresentAndNotNull = (_object: object, value: unknown) => value !== undefined && value !== null;

export class ActiveUserDto {
  @ApiProperty({ format: 'uuid', description: 'The signed-in user.' })
  user_id!: string;

  @ApiProperty({ description: 'Display name.' })
  name!: string;

  @ApiProperty({ description: 'Sign-in email.' })
  email!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the user last signed in.' })
  last_login_at!: string | null;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'On how many devices the user is signed in (their live sessions).' })
  session_count!: number;
}

export class SecurityPolicyDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The account's idle-timeout override in minutes; null follows the system default.",
  })
  idle_minutes!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The account's absolute-lifetime override in minutes; null follows the system default.",
  })
  absolute_minutes!: number | null;

  @ApiProperty({ type: 'integer', description: 'Idle timeout in force for new sign-ins, in minutes (override or default).', example: 4320 })
  effective_idle_minutes!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Absolute session lifetime in force for new sign-ins, in minutes (override or default).',
    example: 20160,
  })
  effective_absolute_minutes!: number;

  @ApiProperty({ type: 'integer', description: 'The system default idle timeout (the Strict preset), in minutes.', example: 4320 })
  idle_minutes_default!: number;

  @ApiProperty({ type: 'integer', description: 'The system default absolute lifetime (the Strict preset), in minutes.', example: 20160 })
  absolute_minutes_default!: number;

  @ApiProperty({ type: 'integer', description: 'Smallest idle override the operator allows, in minutes.', example: 15 })
  idle_minutes_min!: number;

  @ApiProperty({ type: 'integer', description: 'Largest idle override the operator allows, in minutes.', example: 43200 })
  idle_minutes_max!: number;

  @ApiProperty({ type: 'integer', description: 'Smallest absolute override the operator allows, in minutes.', example: 60 })
  absolute_minutes_min!: number;

  @ApiProperty({ type: 'integer', description: 'Largest absolute override the operator allows, in minutes.', example: 129600 })
  absolute_minutes_max!: number;

  @ApiProperty({
    enum: POLICY_PRESETS,
    enumName: 'PolicyPreset',
    description:
      'The console preset the overrides match, derived and never stored: `strict` = both cleared, `standard` = 10080 / 43200, otherwise `custom`.',
  })
  preset!: PolicyPreset;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The account's cap on live sessions per user; null follows the system cap.",
    example: 3,
  })
  max_sessions_per_user!: number | null;

  @ApiProperty({
    type: 'integer',
    description: 'The cap in force: a sign-in beyond it ends the least recently used session (`session_limit`).',
    example: 3,
  })
  effective_max_sessions_per_user!: number;

  @ApiProperty({ type: 'integer', description: 'The system cap (SESSION_MAX_PER_USER): the largest cap an account may set.', example: 10 })
  system_max_sessions_per_user!: number;

  @ApiProperty({
    type: [ActiveUserDto],
    description: 'Users of this account with at least one live session (not revoked, inside both deadlines), most recent sign-in first.',
  })
  active_users!: ActiveUserDto[];
}

export function mapActiveUser(user: ActiveUser): ActiveUserDto {
  return {
    user_id: user.userId,
    name: user.name,
    email: user.email,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    session_count: user.sessionCount,
  };
}

export function mapSecurityPolicy(view: SecurityPolicyView): SecurityPolicyDto {
  return {
    idle_minutes: view.overrides.idleMinutes,
    absolute_minutes: view.overrides.absoluteMinutes,
    effective_idle_minutes: view.effective.idleMinutes,
    effective_absolute_minutes: view.effective.absoluteMinutes,
    idle_minutes_default: view.bounds.idleMinutesDefault,
    absolute_minutes_default: view.bounds.absoluteMinutesDefault,
    idle_minutes_min: view.bounds.idleMinutesMin,
    idle_minutes_max: view.bounds.idleMinutesMax,
    absolute_minutes_min: view.bounds.absoluteMinutesMin,
    absolute_minutes_max: view.bounds.absoluteMinutesMax,
    preset: view.preset,
    max_sessions_per_user: view.sessionCap.account,
    effective_max_sessions_per_user: view.sessionCap.effective,
    system_max_sessions_per_user: view.sessionCap.system,
    active_users: view.activeUsers.map(mapActiveUser),
  };
}

/**
 * PATCH semantics: a number sets the override, `null` clears it, an absent field is
 * left as it is. Ranges are not checked here: they come from configuration and the
 * cross-field rule needs the stored values, so `validatePolicy` checks them in the service.
 */
export class UpdateSecurityPolicyDto {
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'Idle timeout override in minutes (integer within the bounds); null clears it; absent leaves it unchanged.',
    example: 60,
  })
  @ValidateIf(isPresentAndNotNull)
  @IsInt({ message: 'idle_minutes must be an integer number of minutes or null' })
  idle_minutes?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'Absolute lifetime override in minutes (integer within the bounds); null clears it; absent leaves it unchanged.',
    example: 240,
  })
  @ValidateIf(isPresentAndNotNull)
  @IsInt({ message: 'absolute_minutes must be an integer number of minutes or null' })
  absolute_minutes?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description:
      'Cap on live sessions per user, from 1 to the system cap; null follows the system cap; absent leaves it unchanged. ' +
      "A lower cap ends every user's least recently used sessions beyond it at once (`session_limit`).",
    example: 3,
  })
  @ValidateIf(isPresentAndNotNull)
  @IsInt({ message: 'max_sessions_per_user must be an integer or null' })
  max_sessions_per_user?: number | null;
}

export const REVOKE_SCOPES = ['all', 'others'] as const;
export type RevokeScope = (typeof REVOKE_SCOPES)[number];

export class RevokeSessionsDto {
  @ApiPropertyOptional({
    enum: REVOKE_SCOPES,
    enumName: 'RevokeScope',
    default: 'all',
    description:
      "`all` ends every live session of the account, the caller's included. `others` ends every live session of every other " +
      "user of the account and keeps all of the caller's own sessions (every device): sign everyone else out without signing " +
      'yourself out. To end only your own other devices, use `POST /api/me/sessions/revoke-others`.',
  })
  @ValidateIf((_object: object, value: unknown) => value !== undefined)
  @IsIn(REVOKE_SCOPES, { message: `scope must be one of ${REVOKE_SCOPES.join(', ')}` })
  scope?: RevokeScope;
}
