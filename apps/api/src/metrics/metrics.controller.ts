import { Controller, Get, Header, HttpStatus, Inject, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../common/auth-user';
import { ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { MetricsService } from './metrics.service';

@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Prometheus text format; only for addresses in METRICS_ALLOW (loopback by default). */
  @Get()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Req() request: FastifyRequest & { client?: ClientInfo }): Promise<string> {
    const peer = (request.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
    const family = peer.includes(':') ? 'ipv6' : 'ipv4';
    if (!peer || !this.config.metricsAllow.check(peer, family)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Metrics are only served to addresses in METRICS_ALLOW.');
    }
    return this.metrics.render();
  }
}
