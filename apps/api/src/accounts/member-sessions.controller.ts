import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, RequiresRecentAuth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { uuidPipe } from '../common/uuid.pipe';
import { mapSession, SessionDto } from '../devices/dto/session.dto';
import { RevokedCountDto } from '../sessions/dto/revoked-count.dto';
import { MemberSessionsService } from './member-sessions.service';

/** Owners only: one member's signed-in devices, and signing them out (audited, `by: "owner"`). */
@ApiTags('members')
@Controller('accounts/me/members/:id/sessions')
@ApiParam({ name: 'id', format: 'uuid', description: 'Member (user) id.' })
@ApiNotFoundResponse({
  type: ProblemDto,
  description: 'No such member in your account, or no such active session of theirs (`not_found`).',
})
export class MemberSessionsController {
  constructor(private readonly memberSessions: MemberSessionsService) {}

  @Get()
  @Auth({ roles: ['owner'] })
  @ApiOperation({ summary: "List a member's active sessions (devices)", description: 'Most recently used first.' })
  @ApiOkResponse({ type: [SessionDto] })
  async list(@CurrentUser() caller: AuthUser, @Param('id', uuidPipe) id: string): Promise<SessionDto[]> {
    return (await this.memberSessions.list(caller, id)).map(mapSession);
  }

  @Delete()
  @HttpCode(HttpStatus.OK)
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiOperation({
    summary: 'Sign a member out of every device',
    description: 'Their refresh tokens stop working at once and are refused with reason `revoked_by_owner`; a repeat returns 0.',
  })
  @ApiOkResponse({ type: RevokedCountDto })
  async revokeAll(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Client() client: ClientInfo,
  ): Promise<RevokedCountDto> {
    return { revoked_count: await this.memberSessions.revokeAll(caller, id, client) };
  }

  @Delete(':sessionId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ roles: ['owner'] })
  @RequiresRecentAuth()
  @ApiOperation({ summary: 'Sign a member out of one device', description: 'Refused later with reason `revoked_by_owner`.' })
  @ApiParam({ name: 'sessionId', format: 'uuid', description: 'Session (device) id.' })
  @ApiNoContentResponse({ description: 'The session ended.' })
  async revokeOne(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Param('sessionId', uuidPipe) sessionId: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.memberSessions.revokeOne(caller, id, sessionId, client);
  }
}
