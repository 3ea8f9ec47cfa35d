import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../../common/auth/auth.decorator';
import type { AuthUser } from '../../common/auth-user';
import { notFound } from '../../common/problem';
import { ProblemDto } from '../../common/problem.dto';
import { CurrentUser } from '../../common/request-decorators';
import { APP_CONFIG } from '../../config/app-config';
import type { RuntimeConfig } from '../../config/runtime-config';
import { OidcProviders } from '../oidc/oidc-providers.service';
import { callbackPath, OIDC_STATE_COOKIE, OIDC_STATE_TTL_SECONDS, OidcStateSealer } from '../oidc/oidc-state';
import { isHttps } from '../token-transport';
import { OidcStepUpService } from './oidc-step-up.service';
import { OidcStepUpStartedDto, StartOidcStepUpDto } from './step-up.dto';

@ApiTags('auth')
@Controller('auth')
export class OidcStepUpController {
  private readonly sealer: OidcStateSealer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly providers: OidcProviders,
    private readonly stepUp: OidcStepUpService,
  ) {
    this.sealer = new OidcStateSealer(config.refreshTokenSecret);
  }

  @Post('reauthenticate/oauth/:provider')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({
    summary: 'Start confirming it is you with your linked provider (step-up without a password)',
    description:
      'For users with an identity of this provider linked (the only way for members of accounts that require external sign-in). ' +
      'Answers the authorization URL (`max_age=0`, `prompt=login`) and sets the flow cookie (state, nonce, PKCE verifier and this ' +
      `session, sealed; HttpOnly, ${OIDC_STATE_TTL_SECONDS / 60} minutes). The provider's callback checks the fresh login and the ` +
      'identity, then stamps this session as `POST /api/auth/reauthenticate` does (ADR 0020). Counted with the password step-up ' +
      'by the same per-user limiter.',
  })
  @ApiParam({ name: 'provider', description: 'Provider id from `GET /api/auth/providers`.', example: 'google' })
  @ApiOkResponse({ type: OidcStepUpStartedDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such provider configured (`not_found`).' })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description:
      'No identity of this provider is linked to you (`oidc_reauthentication_wrong_identity`), or your account no longer accepts it (`oidc_provider_not_allowed`).',
  })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`return_to` is not a console path (`validation_failed`).' })
  @ApiTooManyRequestsResponse({ type: ProblemDto, description: 'Too many step-up attempts for this user (`rate_limited`).' })
  @ApiBadGatewayResponse({ type: ProblemDto, description: 'The provider could not be reached (`oidc_unavailable`).' })
  async start(
    @CurrentUser() caller: AuthUser,
    @Param('provider') id: string,
    @Body() dto: StartOidcStepUpDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OidcStepUpStartedDto> {
    const provider = this.providers.find(id);
    if (!provider) throw notFound('No such sign-in provider.');
    const started = await this.stepUp.start(caller, provider, dto.return_to ?? '/');
    void reply.setCookie(OIDC_STATE_COOKIE, this.sealer.seal(started.flow), {
      httpOnly: true,
      // Lax: the provider sends the browser back with a cross-site top-level GET.
      sameSite: 'lax',
      path: callbackPath(provider.id),
      secure: isHttps(request, this.config.secureCookies),
      maxAge: OIDC_STATE_TTL_SECONDS,
    });
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return { authorization_url: started.url.href };
  }
}
