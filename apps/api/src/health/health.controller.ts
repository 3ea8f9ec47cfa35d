import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Drain } from '../common/drain';
import { ProblemException } from '../common/problem';
import { ProblemDto } from '../common/problem.dto';
import { HealthService } from './health.service';

export class HealthDto {
  @ApiProperty({ enum: ['ok'], description: 'Always `ok` on a 200.' }) status!: 'ok';
  @ApiProperty({ enum: ['up'], description: 'PostgreSQL answered `SELECT 1` within the request bounds.' }) database!: 'up';
  @ApiProperty({ description: 'Seconds since the process started.' }) uptime_seconds!: number;
}

export class LiveDto {
  @ApiProperty({ enum: ['ok'], description: 'The process answers HTTP; says nothing about the database.' }) status!: 'ok';
  @ApiProperty({ description: 'Seconds since the process started.' }) uptime_seconds!: number;
}

/**
 * Three probes (issue 14). `/health` (unchanged) and `/health/ready` check the database;
 * `ready` is also red while the replica drains, so a balancer stops sending to it before
 * it closes. `/health/live` never touches the database: a database outage must not make
 * an orchestrator restart every replica (they recover on their own once it is back).
 */
@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly drain: Drain,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'The database is unreachable (`unavailable`).' })
  async check(): Promise<HealthDto> {
    await this.health.databaseUp();
    return { status: 'ok', database: 'up', uptime_seconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: send traffic here? Red while the database is unreachable or the replica is shutting down.' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({
    type: ProblemDto,
    description: 'The database is unreachable, or the replica is draining for shutdown (`unavailable`).',
  })
  async ready(): Promise<HealthDto> {
    if (this.drain.active) throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', 'This replica is shutting down.');
    return this.check();
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: is the process up? Never checks the database.' })
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'ok', uptime_seconds: Math.round(process.uptime()) };
  }
}
