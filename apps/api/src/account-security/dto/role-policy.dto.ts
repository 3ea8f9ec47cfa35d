import { ApiProperty } from '@nestjs/swagger';
import { IsInt, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/auth/roles';
import type { RolePolicyView } from '../role-policy.view';

const isNotNull = (_object: object, value: unknown) => value !== undefined && value !== null;

export class RolePolicyDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'The role the override applies to.' })
  role!: Role;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The role's idle-timeout override in minutes; null keeps the account's.",
    example: 30,
  })
  idle_minutes!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The role's absolute-lifetime override in minutes; null keeps the account's.",
    example: 720,
  })
  absolute_minutes!: number | null;

  @ApiProperty({
    type: 'integer',
    description:
      "Idle timeout in force for this role's sessions, in minutes: the smaller of the account's and the override, never above the effective absolute.",
    example: 30,
  })
  effective_idle_minutes!: number;

  @ApiProperty({
    type: 'integer',
    description: "Absolute lifetime in force for this role's sessions, in minutes: the smaller of the account's and the override.",
    example: 720,
  })
  effective_absolute_minutes!: number;
}

export function mapRolePolicy(view: RolePolicyView): RolePolicyDto {
  return {
    role: view.role,
    idle_minutes: view.override?.idleMinutes ?? null,
    absolute_minutes: view.override?.absoluteMinutes ?? null,
    effective_idle_minutes: view.effective.idleMinutes,
    effective_absolute_minutes: view.effective.absoluteMinutes,
  };
}

/**
 * The whole override of one role (PUT replaces it): a number sets a limit, null or
 * absent keeps the account's. At least one limit must be set; bounds and idle ≤
 * absolute are checked by `validateRoleOverride` in the service (they come from configuration).
 */
export class PutRolePolicyDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    required: false,
    description: "Idle timeout for the role in minutes (integer within the account policy's bounds); null or absent keeps the account's.",
    example: 30,
  })
  @ValidateIf(isNotNull)
  @IsInt({ message: 'idle_minutes must be an integer number of minutes or null' })
  idle_minutes?: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    required: false,
    description: "Absolute lifetime for the role in minutes (integer within the bounds); null or absent keeps the account's.",
    example: 720,
  })
  @ValidateIf(isNotNull)
  @IsInt({ message: 'absolute_minutes must be an integer number of minutes or null' })
  absolute_minutes?: number | null;
}
