import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth } from '../common/auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { uuidPipe } from '../common/uuid.pipe';
import { DevicesService } from './devices.service';
import { RevokedCountDto } from '../sessions/dto/revoked-count.dto';
import { ListSessionsQueryDto, NEXT_CURSOR_HEADER } from './dto/list-sessions.dto';
import { mapSession, SessionDto } from './dto/session.dto';

@ApiTags('devices')
@Controller('me/sessions')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: "List where you're signed in",
    description:
      'Your active sessions (devices): the current one first, then by last use, newest first. Paged by cursor: when more ' +
      'sessions follow, the `Next-Cursor` response header carries the `cursor` of the next page (absent on the last page). ' +
      'The default page size is the live-session cap per user, so clients that do not page see every session.',
  })
  @ApiOkResponse({
    type: [SessionDto],
    headers: {
      [NEXT_CURSOR_HEADER]: { description: 'Pass as `cursor` for the next page; absent on the last page.', schema: { type: 'string' } },
    },
  })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Bad `limit` or `cursor` (`validation_failed`).' })
  async list(
    @CurrentUser() caller: AuthUser,
    @Query() query: ListSessionsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto[]> {
    const page = await this.devices.list(caller, { limit: query.limit, cursor: query.cursor });
    if (page.nextCursor !== null) void reply.header(NEXT_CURSOR_HEADER, page.nextCursor);
    return page.items.map(mapSession);
  }

  @Post('revoke-others')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({ summary: 'Sign out all your other devices' })
  @ApiOkResponse({ type: RevokedCountDto })
  async revokeOthers(@CurrentUser() caller: AuthUser, @Client() client: ClientInfo): Promise<RevokedCountDto> {
    return {
      revoked_count: await this.devices.revokeOthers(caller, client),
    };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @ApiOperation({
    summary: 'Sign out one of your devices',
    description: 'Ending the current session signs you out.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'Session (device) id.' })
  @ApiNoContentResponse({ description: 'The session ended.' })
  @ApiNotFoundResponse({
    type: ProblemDto,
    description: 'Not one of your active sessions (`not_found`).',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'The id is not a UUID (`validation_failed`).',
  })
  async revoke(@CurrentUser() caller: AuthUser, @Param('id', uuidPipe) id: string, @Client() client: ClientInfo): Promise<void> {
    await this.devices.revoke(caller, id, client);
  }
}
