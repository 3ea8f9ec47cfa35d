import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { Auth } from '../common/auth/auth.decorator';
import type { AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { ProblemDto } from '../common/problem.dto';
import { CurrentUser } from '../common/request-decorators';
import { AuditEventsService } from './audit-events.service';
import { AuditEventPageDto, ExportAuditEventsQueryDto, ListAuditEventsQueryDto, mapAuditEventPage } from './dto/audit-event.dto';

const EXPORT_TYPES = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;

@ApiTags('audit')
@Controller('accounts/me/audit-events')
export class AuditEventsController {
  constructor(
    private readonly auditEvents: AuditEventsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Auth({ roles: ['owner'] })
  @ApiOperation({ summary: "The account's audit log, newest first, one page at a time (keyset cursor)" })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'Unknown action, bad actor id, date-time, cursor or limit (`validation_failed`).',
  })
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListAuditEventsQueryDto): Promise<AuditEventPageDto> {
    return mapAuditEventPage(await this.auditEvents.list(caller, query));
  }

  @Get('export')
  @Auth({ roles: ['owner'] })
  @ApiOperation({
    summary: 'Download the filtered audit log as CSV or NDJSON',
    description:
      'Every event matching the filters, newest first, streamed (an attachment). CSV cells are quoted and cells starting ' +
      "with `=`, `+`, `-` or `@` get a leading `'` so spreadsheets show them as text; `details` is a JSON cell. " +
      'NDJSON lines are the list endpoint’s event objects. The first batch is read before anything is sent (a database ' +
      'failure then is a problem+json answer); a failure after the first bytes cuts the download short.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The events, as an attachment.' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'Unknown format or action, bad actor id or date-time (`validation_failed`).',
  })
  async exportEvents(@CurrentUser() caller: AuthUser, @Query() query: ExportAuditEventsQueryDto): Promise<StreamableFile> {
    const stamp = this.clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const { format, ...filters } = query;
    const chunks = await this.auditEvents.export(caller, filters, format);
    return new StreamableFile(Readable.from(chunks), {
      type: EXPORT_TYPES[format],
      disposition: `attachment; filename="audit-events-${stamp}.${format}"`,
    });
  }
}
