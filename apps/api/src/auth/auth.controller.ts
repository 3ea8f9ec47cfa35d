import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginFormDto, LoginJsonDto, MeDto, RefreshDto, SignupDto, TokenResponseDto } from './dto/auth.dto';
import { RefreshBodyPipe } from './dto/refresh-body.pipe';
import { RefreshService } from './refresh.service';
import { clearRefreshCookie, presentedRefreshToken, sendTokens } from './token-transport';

/** The refresh body as RefreshBodyPipe returns it (an interface, so no class metadata reaches the global pipe). */
interface RefreshBody {
  refresh_token?: string;
}

const COOKIE_HEADER = {
  name: 'X-Token-Transport',
  required: false,
  description: '`cookie`: receive the refresh token in an HttpOnly cookie instead of the body (browsers).',
};

@ApiTags('auth')
@Controller('auth')
@ApiHeader(COOKIE_HEADER)
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly refreshes: RefreshService,
  ) {}

  @Post('signup')
  @ApiOperation({ summary: 'Create an account and its owner, and sign the owner in' })
  @ApiCreatedResponse({ type: TokenResponseDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'Email already registered (`conflict`).' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description: 'Too many sign-ups from this address (`rate_limited`; `Retry-After` in seconds).',
  })
  async signup(
    @Body() dto: SignupDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.respond(request, reply, await this.auth.signup(dto, client));
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in (OAuth2 password flow form; used by Swagger UI "Authorize")' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: LoginFormDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'Wrong email or password (`invalid_credentials`).' })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description: 'The account requires external sign-in for members (`sso_required`); owners keep their password.',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description:
      'Too many failed attempts from this address on this email, from this address, or on this email from an address that has failed on it (`rate_limited`; `Retry-After` in seconds). The right password from an address that has not been failing is never refused.',
  })
  async loginForm(
    @Body() dto: LoginFormDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.respond(request, reply, await this.auth.login(dto.username, dto.password, client));
  }

  @Post('login/json')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with a JSON body' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'Wrong email or password (`invalid_credentials`).' })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description: 'The account requires external sign-in for members (`sso_required`); owners keep their password.',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description:
      'Too many failed attempts from this address on this email, from this address, or on this email from an address that has failed on it (`rate_limited`; `Retry-After` in seconds). The right password from an address that has not been failing is never refused.',
  })
  async loginJson(
    @Body() dto: LoginJsonDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.respond(request, reply, await this.auth.login(dto.email, dto.password, client));
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate a refresh token',
    description:
      'Single use: the presented token is consumed whatever the answer. 401 codes: `invalid_refresh_token`, `session_expired_idle`, `session_expired_absolute`.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ type: ProblemDto })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description: 'Too many refresh requests from this address; invalid tokens count ten times (`rate_limited`; `Retry-After` in seconds).',
  })
  @ApiBody({ type: RefreshDto })
  async refresh(
    // Not typed RefreshDto: the global pipe only checks the strings; RefreshBodyPipe validates.
    @Body(RefreshBodyPipe) dto: RefreshBody,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    return this.respond(request, reply, await this.refreshes.refresh(presentedRefreshToken(request, dto.refresh_token), client));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of a refresh token (idempotent)' })
  @ApiNoContentResponse()
  async logout(
    @Body() dto: RefreshDto,
    @Client() client: ClientInfo,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(presentedRefreshToken(request, dto.refresh_token), client);
    clearRefreshCookie(request, reply, this.config.secureCookies);
  }

  @Get('me')
  @Auth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() caller: AuthUser): Promise<MeDto> {
    const user = await this.auth.me(caller);
    return {
      id: user.id,
      account_id: user.accountId,
      email: user.email,
      name: user.name,
      role: user.role,
      session_id: caller.sessionId,
      password_step_up: user.passwordStepUp,
    };
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @RequiresRecentAuth()
  @ApiOperation({ summary: "Change the caller's password; ends their other sessions" })
  @ApiNoContentResponse()
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Validation, or a wrong `current_password` (field error).' })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description: 'Too many wrong `current_password` answers for this user (`rate_limited`; `Retry-After` in seconds).',
  })
  async changePassword(@CurrentUser() caller: AuthUser, @Body() dto: ChangePasswordDto, @Client() client: ClientInfo): Promise<void> {
    await this.auth.changePassword(caller, dto, client);
  }

  private respond(request: FastifyRequest, reply: FastifyReply, pair: Parameters<typeof sendTokens>[2]): TokenResponseDto {
    return sendTokens(request, reply, pair, this.config.secureCookies, this.clock.now());
  }
}
