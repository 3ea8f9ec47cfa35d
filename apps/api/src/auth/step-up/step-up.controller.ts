import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthUser, ClientInfo } from '../../common/auth-user';
import { ProblemDto } from '../../common/problem.dto';
import { Client, CurrentUser } from '../../common/request-decorators';
import { Auth } from '../../common/auth/auth.decorator';
import { ReauthenticationService } from './reauthentication.service';
import { ReauthenticateDto, ReauthenticatedDto } from './step-up.dto';

@ApiTags('auth')
@Controller('auth')
export class StepUpController {
  constructor(private readonly reauthentication: ReauthenticationService) {}

  @Post('reauthenticate')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({
    summary: 'Confirm the password to unlock sensitive actions on this session (step-up, "sudo mode")',
    description:
      'Answers a `reauthentication_required` refusal: afterwards the sensitive actions accept this session for `max_age_seconds`. ' +
      'The session keeps its tokens and its absolute deadline (counted from the sign-in). Audited as `auth.reauthenticated` ' +
      'and, for a wrong password, `auth.reauthentication_failed`; a wrong password ends nothing.',
  })
  @ApiOkResponse({ type: ReauthenticatedDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Validation, or a wrong `password` (field error).' })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description:
      'A member of an account that requires external sign-in (`sso_required`): step up with the provider instead (`POST /api/auth/reauthenticate/oauth/{provider}`).',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description:
      'Too many wrong passwords for this user, counted together with `current_password` of the password change (`rate_limited`; `Retry-After` in seconds).',
  })
  async reauthenticate(
    @CurrentUser() caller: AuthUser,
    @Body() dto: ReauthenticateDto,
    @Client() client: ClientInfo,
  ): Promise<ReauthenticatedDto> {
    const done = await this.reauthentication.withPassword(caller, dto.password, client);
    return {
      authenticated_at: done.authenticatedAt.toISOString(),
      max_age_seconds: done.maxAgeSeconds,
      fresh_until: done.freshUntil.toISOString(),
    };
  }
}
