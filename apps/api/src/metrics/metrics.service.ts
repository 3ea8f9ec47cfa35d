import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of this process. One registry per app instance (tests build many). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  private readonly refreshes = new Counter({
    name: 'sessions_refresh_total',
    help: 'Refresh attempts by outcome (rotated or the refusal code).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: 'sessions_rate_limited_total',
    help: 'Requests refused with 429 by limit (login_pair, login_address, login_email, password_change, signup, refresh).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.httpDuration.observe(labels, seconds);
    this.httpRequests.inc(labels);
  }

  refreshOutcome(outcome: string): void {
    this.refreshes.inc({ outcome });
  }

  rateLimitRefusal(limit: string): void {
    this.rateLimited.inc({ limit });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
