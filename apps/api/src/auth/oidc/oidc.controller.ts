import { Controller, Get, HttpStatus, Inject, Param, Req, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiFoundResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientInfo } from '../../common/auth-user';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/problem';
import { ProblemDto } from '../../common/problem.dto';
import { Client } from '../../common/request-decorators';
import { APP_CONFIG } from '../../config/app-config';
import type { OidcProviderConfig } from '../../config/oidc-config';
import type { RuntimeConfig } from '../../config/runtime-config';
import { TokenResponseDto } from '../dto/auth.dto';
import { isHttps, sendTokens } from '../token-transport';
import { ProviderDto } from './oidc.dto';
import { OidcProviders } from './oidc-providers.service';
import { OidcRefusalException } from './oidc-refusal';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcStepUpService } from '../step-up/oidc-step-up.service';
import type { Reauthenticated } from '../step-up/reauthentication.service';
import type { TokenPair } from '../token.types';
import { callbackPath, OIDC_STATE_COOKIE, OIDC_STATE_TTL_SECONDS, OidcFlowState, OidcStateSealer, sameState } from './oidc-state';

/**
 * A browser navigation (the provider redirecting the user back) gets redirects; an API
 * client (a test, a script) gets JSON and problem+json. Browsers send `Sec-Fetch-Mode:
 * navigate` and `Accept: text/html` on navigations, API clients neither.
 */
function isNavigation(request: FastifyRequest): boolean {
  return request.headers['sec-fetch-mode'] === 'navigate' || String(request.headers['accept'] ?? '').includes('text/html');
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

@ApiTags('auth')
@Controller('auth')
export class OidcController {
  private readonly sealer: OidcStateSealer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly oidcProviders: OidcProviders,
    private readonly oidcSignIn: OidcSignInService,
    private readonly oidcStepUp: OidcStepUpService,
  ) {
    this.sealer = new OidcStateSealer(config.refreshTokenSecret);
  }

  @Get('providers')
  @ApiOperation({ summary: 'The sign-in providers configured here (for "Sign in with …" buttons)' })
  @ApiOkResponse({ type: [ProviderDto] })
  providers(): ProviderDto[] {
    return this.oidcProviders.list().map((p) => ({ id: p.id, display_name: p.displayName }));
  }

  @Get('oauth/:provider/authorize')
  @ApiOperation({
    summary: 'Start signing in with a provider',
    description:
      'Redirects to the provider (authorization code flow, PKCE S256, state and nonce). The state, PKCE verifier and nonce ' +
      `travel in an encrypted HttpOnly cookie scoped to the callback path, valid ${OIDC_STATE_TTL_SECONDS / 60} minutes.`,
  })
  @ApiParam({ name: 'provider', description: 'Provider id from `GET /api/auth/providers`.', example: 'google' })
  @ApiFoundResponse({ description: "Redirect to the provider's authorization endpoint." })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such provider configured (`not_found`).' })
  @ApiBadGatewayResponse({ type: ProblemDto, description: 'The provider could not be reached (`oidc_unavailable`).' })
  async authorize(@Param('provider') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const provider = this.provider(id);
    try {
      const started = await this.oidcProviders.authorizationRequest(provider);
      const sealed = this.sealer.seal({
        provider: provider.id,
        state: started.state,
        codeVerifier: started.codeVerifier,
        nonce: started.nonce,
        expiresAt: this.clock.nowSeconds() + OIDC_STATE_TTL_SECONDS,
      });
      void reply.setCookie(OIDC_STATE_COOKIE, sealed, {
        httpOnly: true,
        // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
        sameSite: 'lax',
        path: callbackPath(provider.id),
        secure: isHttps(request, this.config.secureCookies),
        maxAge: OIDC_STATE_TTL_SECONDS,
      });
      void reply.headers(NO_STORE).redirect(started.url.href, HttpStatus.FOUND);
    } catch (error) {
      if (error instanceof OidcRefusalException && isNavigation(request)) return this.redirectRefused(reply, error);
      throw error;
    }
  }

  @Get('oauth/:provider/callback')
  @ApiOperation({
    summary: "The provider's redirect back (the redirect URI to register)",
    description:
      'Verifies state (against the cookie set by `/authorize`), exchanges the code with the PKCE verifier, verifies the ID ' +
      'token (signature, issuer, audience, nonce, expiry) and `email_verified`, finds the user (linked subject, else verified ' +
      'email, which links) and applies the account sign-in policy. A browser navigation then gets the refresh cookie and a ' +
      'redirect to the console (`/`), which restores the session; a refusal redirects to `/login?reason=<code>`. Other ' +
      'clients get the token response (refresh token in the body, or in the cookie with `X-Token-Transport: cookie`) or ' +
      'problem+json. Nothing secret is ever put in a URL. A step-up flow (started by `POST /api/auth/reauthenticate/oauth/{provider}`, ' +
      "ADR 0020) instead checks the ID token's `auth_time` (present, not before the flow started) and that the subject is linked to " +
      'the user of the session it was started from, stamps that session and answers `ReauthenticatedDto` (browsers: a redirect to ' +
      'the console page it was started from with `?step_up=done`, or `?step_up=<code>` when refused).',
  })
  @ApiParam({ name: 'provider', description: 'Provider id.', example: 'google' })
  @ApiQuery({ name: 'code', required: false, description: 'Authorization code (from the provider).' })
  @ApiQuery({ name: 'state', required: false, description: 'State (from the provider).' })
  @ApiHeader({
    name: 'X-Token-Transport',
    required: false,
    description: '`cookie`: the refresh token in the HttpOnly cookie (non-browser clients).',
  })
  @ApiOkResponse({ type: TokenResponseDto, description: 'Signed in (non-browser clients).' })
  @ApiFoundResponse({ description: 'Browser navigations: to the console, or to `/login?reason=<code>` when refused.' })
  @ApiBadRequestResponse({ type: ProblemDto, description: '`oidc_state_mismatch`, `oidc_provider_error`.' })
  @ApiUnauthorizedResponse({
    type: ProblemDto,
    description:
      '`oidc_exchange_failed`, `oidc_invalid_id_token`, `oidc_email_unverified`, `oidc_unknown_user`, `oidc_user_inactive`; ' +
      'step-up: `oidc_reauthentication_stale` (no fresh login: `auth_time` missing or too old), `oidc_reauthentication_session_ended`.',
  })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description:
      '`oidc_provider_not_allowed`, `oidc_email_domain_not_allowed`; step-up: `oidc_reauthentication_wrong_identity` (not an identity linked to this user).',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such provider configured (`not_found`).' })
  @ApiBadGatewayResponse({ type: ProblemDto, description: 'The provider could not be reached (`oidc_unavailable`).' })
  async callback(
    @Param('provider') id: string,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const provider = this.provider(id);
    // Single use whatever happens: the state cookie goes now.
    void reply.clearCookie(OIDC_STATE_COOKIE, {
      httpOnly: true,
      sameSite: 'lax',
      path: callbackPath(provider.id),
      secure: isHttps(request, this.config.secureCookies),
    });
    void reply.headers(NO_STORE);
    const query = request.query as Record<string, unknown>;
    const sealed = this.sealer.openEvenExpired(request.cookies?.[OIDC_STATE_COOKIE], provider.id);
    const stepUp = sealed?.stepUp;
    try {
      const outcome = await this.verify(provider, sealed, query, request, client);
      if ('authenticatedAt' in outcome) return this.sendStepUp(request, reply, stepUp?.returnTo ?? '/', outcome);
      if (isNavigation(request)) {
        sendTokens(request, reply, outcome, this.config.secureCookies, this.clock.now(), true);
        void reply.redirect(`${this.config.oidc.publicUrl}/`, HttpStatus.FOUND);
        return;
      }
      void reply.status(HttpStatus.OK).send(sendTokens(request, reply, outcome, this.config.secureCookies, this.clock.now()));
    } catch (error) {
      if (!(error instanceof OidcRefusalException)) throw error;
      if (!stepUp) this.oidcSignIn.logRefusal(provider.id, error, client);
      if (isNavigation(request)) {
        if (stepUp) return this.redirectToConsole(reply, stepUp.returnTo, error.refusal);
        return this.redirectRefused(reply, error);
      }
      throw error;
    }
  }

  /** State, provider error, code exchange and ID token; then a sign-in, or the step-up of the flow's session. */
  private async verify(
    provider: OidcProviderConfig,
    sealed: OidcFlowState | null,
    query: Record<string, unknown>,
    request: FastifyRequest,
    client: ClientInfo,
  ): Promise<TokenPair | Reauthenticated> {
    if (sealed?.stepUp && sealed.expiresAt <= this.clock.nowSeconds()) await this.oidcStepUp.expired(provider, sealed.stepUp, client);
    const flow = sealed && sealed.expiresAt > this.clock.nowSeconds() ? sealed : null;
    if (!flow || !sameState(flow.state, query['state']))
      throw new OidcRefusalException('oidc_state_mismatch', flow ? 'state_mismatch' : 'no_flow');
    if (query['error'] !== undefined)
      throw new OidcRefusalException('oidc_provider_error', `provider_${String(query['error']).slice(0, 40)}`);
    if (flow.stepUp) await this.oidcStepUp.beforeExchange(provider, flow.stepUp, client);
    const rawQuery = request.url.slice(request.url.indexOf('?') + 1);
    const identity = await this.oidcProviders.exchange(provider, rawQuery, flow);
    if (flow.stepUp) return this.oidcStepUp.finish(provider, flow.stepUp, identity, client);
    return this.oidcSignIn.signInWith(provider, identity, client);
  }

  /** A step-up that succeeded: the browser back on its console page, others the stamp. */
  private sendStepUp(request: FastifyRequest, reply: FastifyReply, returnTo: string, done: Reauthenticated): void {
    if (isNavigation(request)) return this.redirectToConsole(reply, returnTo, 'done');
    void reply.status(HttpStatus.OK).send({
      authenticated_at: done.authenticatedAt.toISOString(),
      max_age_seconds: done.maxAgeSeconds,
      fresh_until: done.freshUntil.toISOString(),
    });
  }

  /** Back to the console page a step-up started from (a path validated at the start), saying how it went. */
  private redirectToConsole(reply: FastifyReply, returnTo: string, outcome: string): void {
    const url = new URL(returnTo, `${this.config.oidc.publicUrl}/`);
    url.searchParams.set('step_up', outcome);
    void reply.redirect(`${this.config.oidc.publicUrl}${url.pathname}${url.search}${url.hash}`, HttpStatus.FOUND);
  }

  private provider(id: string): OidcProviderConfig {
    const provider = this.oidcProviders.find(id);
    if (!provider) throw notFound('No such sign-in provider.');
    return provider;
  }

  /** The console's sign-in page says why; only the stable code travels. */
  private redirectRefused(reply: FastifyReply, refusal: OidcRefusalException): void {
    void reply.redirect(`${this.config.oidc.publicUrl}/login?reason=${refusal.refusal}`, HttpStatus.FOUND);
  }
}
