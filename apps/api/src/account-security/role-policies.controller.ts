import { Body, Controller, Delete, Get, Param, PipeTransform, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ROLES, type Role } from '../common/auth/roles';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { validationFailed } from '../common/problem';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { mapRolePolicy, PutRolePolicyDto, RolePolicyDto } from './dto/role-policy.dto';
import { RolePoliciesService } from './role-policies.service';

/** A path role must be one of `ROLES`; anything else is a 422 naming the parameter. */
const rolePipe: PipeTransform<string, Role> = {
  transform(value: string): Role {
    if ((ROLES as readonly string[]).includes(value)) return value as Role;
    throw validationFailed([{ field: 'role', message: `role must be one of ${ROLES.join(', ')}` }]);
  },
};

const ROLE_PARAM = { name: 'role', enum: ROLES, enumName: 'Role', description: 'The role whose override this is.' } as const;

@ApiTags('account-security')
@Controller('accounts/me/security/role-policies')
export class RolePoliciesController {
  constructor(private readonly policies: RolePoliciesService) {}

  @Get()
  @Auth({ roles: ['owner', 'admin'] })
  @ApiOperation({
    summary: 'Per-role session policy: every role with its override (if any) and the policy its sessions get',
    description: "Admins may read; only owners change. `effective_*` is the account's effective policy tightened by the role's override.",
  })
  @ApiOkResponse({ type: [RolePolicyDto] })
  async list(@CurrentUser() caller: AuthUser): Promise<RolePolicyDto[]> {
    return (await this.policies.list(caller)).map(mapRolePolicy);
  }

  @Put(':role')
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiParam(ROLE_PARAM)
  @ApiOperation({
    summary: "Set a role's stricter session limits",
    description:
      "Replaces the role's override. Sessions of users with the role get the smaller of each limit (the account's or the override), " +
      'idle capped at absolute; a looser value has no effect while the account policy is stricter. A stricter effective policy reaches ' +
      'live sessions at their next refresh (refused with `session_expired_idle`/`session_expired_absolute` when the tightened limit ' +
      'has already passed); a looser one only new sign-ins. Audited as `account.role_policy_update` `{role, old, new, effective_old, effective_new}` when something changed.',
  })
  @ApiOkResponse({ type: RolePolicyDto })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'Unknown role, no limit set, outside the bounds, or idle longer than absolute (`validation_failed`).',
  })
  async put(
    @CurrentUser() caller: AuthUser,
    @Param('role', rolePipe) role: Role,
    @Body() dto: PutRolePolicyDto,
    @Client() client: ClientInfo,
  ): Promise<RolePolicyDto> {
    const override = { idleMinutes: dto.idle_minutes ?? null, absoluteMinutes: dto.absolute_minutes ?? null };
    return mapRolePolicy(await this.policies.put(caller, role, override, client));
  }

  @Delete(':role')
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiParam(ROLE_PARAM)
  @ApiOperation({
    summary: "Remove a role's override: its sessions follow the account policy again",
    description:
      'Idempotent. Live sessions keep their tightened limits (a looser policy reaches only new sign-ins). Audited as ' +
      '`account.role_policy_update` with `new: null` when an override existed.',
  })
  @ApiOkResponse({ type: RolePolicyDto, description: 'The role without an override.' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Unknown role (`validation_failed`).' })
  async remove(@CurrentUser() caller: AuthUser, @Param('role', rolePipe) role: Role, @Client() client: ClientInfo): Promise<RolePolicyDto> {
    return mapRolePolicy(await this.policies.remove(caller, role, client));
  }
}
