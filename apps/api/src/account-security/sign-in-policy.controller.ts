import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { mapSignInPolicy, SignInPolicyDto, UpdateSignInPolicyDto } from './dto/sign-in-policy.dto';
import { SignInPolicyService } from './sign-in-policy.service';

@ApiTags('account-security')
@Controller('accounts/me/security/sign-in')
export class SignInPolicyController {
  constructor(private readonly policy: SignInPolicyService) {}

  @Get()
  @Auth({ roles: ['owner'] })
  @ApiOperation({ summary: "The account's sign-in policy: external sign-in required, accepted providers and email domains" })
  @ApiOkResponse({ type: SignInPolicyDto })
  async get(@CurrentUser() caller: AuthUser): Promise<SignInPolicyDto> {
    return mapSignInPolicy(await this.policy.get(caller));
  }

  @Patch()
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiOperation({
    summary: "Change the account's sign-in policy",
    description:
      'An absent field is unchanged; `null` lists accept any. Audited as `account.sign_in_policy_update` `{old, new}` when something changed. ' +
      'Live sessions are not ended: the policy applies from the next sign-in.',
  })
  @ApiOkResponse({ type: SignInPolicyDto })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description:
      'A provider not configured here, a malformed domain, or requiring external sign-in with no usable provider (`validation_failed`).',
  })
  async update(
    @CurrentUser() caller: AuthUser,
    @Body() dto: UpdateSignInPolicyDto,
    @Client() client: ClientInfo,
  ): Promise<SignInPolicyDto> {
    return mapSignInPolicy(await this.policy.update(caller, dto, client));
  }
}
