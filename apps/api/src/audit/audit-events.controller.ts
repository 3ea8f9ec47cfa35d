import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthUser } from '../common/auth-user';
import { ProblemDto } from '../common/problem.dto';
import { CurrentUser } from '../common/request-decorators';
import { AuditEventsService } from './audit-events.service';
import { AuditEventPageDto, ListAuditEventsQueryDto, mapAuditEventPage } from './dto/audit-event.dto';

@ApiTags('audit')
@Controller('accounts/me/audit-events')
export class AuditEventsController {
  constructor(private readonly auditEvents: AuditEventsService) {}

  @Get()
  @Auth({ roles: ['owner'] })
  @ApiOperation({ summary: "The account's audit log, newest first, one page at a time (keyset cursor)" })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'Unknown action, bad date-time, cursor or limit (`validation_failed`).',
  })
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListAuditEventsQueryDto): Promise<AuditEventPageDto> {
    return mapAuditEventPage(await this.auditEvents.list(caller, query));
  }
}
