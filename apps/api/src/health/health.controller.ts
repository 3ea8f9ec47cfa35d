import { Controller, Get, HttpStatus, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { ProblemException } from '../common/problem';
import { ProblemDto } from '../common/problem.dto';

export class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ enum: ['up'] }) database!: 'up';
  @ApiProperty({ description: 'Seconds since the process started.' }) uptime_seconds!: number;
}

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'The database is unreachable (`unavailable`).' })
  async check(): Promise<HealthDto> {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        // The pool already bounds both waits (data-source.ts); this only guards against a bug there.
        new Promise((_, reject) => {
          const { connectMs, queryMs } = this.config.databaseTimeouts;
          setTimeout(() => reject(new Error('database check timed out')), connectMs + queryMs).unref();
        }),
      ]);
    } catch {
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', 'The database is unreachable.');
    }
    return { status: 'ok', database: 'up', uptime_seconds: Math.round(process.uptime()) };
  }
}
