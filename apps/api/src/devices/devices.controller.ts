import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { Client, CurrentUser } from '../common/request-decorators';
import { uuidPipe } from '../common/uuid.pipe';
import { DevicesService } from './devices.service';
import { RevokedCountDto } from '../sessions/dto/revoked-count.dto';
import { mapSession, SessionDto } from './dto/session.dto';

@ApiTags('devices')
@Controller('me/sessions')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: "List where you're signed in",
    description: 'Your active sessions (devices): the current one first, then by last use, newest first.',
  })
  @ApiOkResponse({ type: [SessionDto] })
  async list(@CurrentUser() caller: AuthUser): Promise<SessionDto[]> {
    return (await this.devices.list(caller)).map(mapSession);
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
