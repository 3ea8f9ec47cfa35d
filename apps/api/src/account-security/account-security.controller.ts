import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { RevokedCountDto } from '../sessions/dto/revoked-count.dto';
import { AccountSecurityService } from './account-security.service';
import { mapSecurityPolicy, RevokeSessionsDto, SecurityPolicyDto, UpdateSecurityPolicyDto } from './dto/security-policy.dto';

@ApiTags('account-security')
@Controller('accounts/me/security')
export class AccountSecurityController {
  constructor(private readonly security: AccountSecurityService) {}

  @Get()
  @Auth({ roles: ['owner'] })
  @ApiOperation({ summary: "The account's session policy, its bounds and who is signed in" })
  @ApiOkResponse({ type: SecurityPolicyDto })
  async get(@CurrentUser() caller: AuthUser): Promise<SecurityPolicyDto> {
    return mapSecurityPolicy(await this.security.getPolicy(caller));
  }

  @Patch()
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiOperation({
    summary: "Change the account's session policy",
    description:
      'A number sets an override, null clears it, an absent field is unchanged. Applies to new sign-ins; a tighter policy also reaches live sessions at their next refresh.',
  })
  @ApiOkResponse({ type: SecurityPolicyDto })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'Outside the bounds, or idle longer than absolute (`validation_failed`).',
  })
  async update(
    @CurrentUser() caller: AuthUser,
    @Body() dto: UpdateSecurityPolicyDto,
    @Client() client: ClientInfo,
  ): Promise<SecurityPolicyDto> {
    return mapSecurityPolicy(await this.security.updatePolicy(caller, dto, client));
  }

  @Post('revoke-sessions')
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiOperation({
    summary: 'Sign out everyone (`all`) or everyone except me (`others`)',
    description:
      "`all` ends every live session of the account, the caller's included. `others` ends the sessions of every other user " +
      'of the account and keeps every session of the caller (all their devices). Audited as `account.sessions_revoked_bulk` ' +
      '`{scope, revoked_count}`, a repeated call too (with 0). Their refresh tokens then answer `invalid_refresh_token` with ' +
      '`reason: revoked_by_owner`.',
  })
  @ApiOkResponse({ type: RevokedCountDto, description: 'How many sessions ended.' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Unknown scope (`validation_failed`).' })
  async revokeSessions(
    @CurrentUser() caller: AuthUser,
    @Body() dto: RevokeSessionsDto,
    @Client() client: ClientInfo,
  ): Promise<RevokedCountDto> {
    return { revoked_count: await this.security.revokeSessions(caller, dto.scope ?? 'all', client) };
  }
}
