import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountSecurityModule } from './account-security/account-security.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuditEventsModule } from './audit/audit-events.module';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import type { RuntimeConfig } from './config/runtime-config';
import { CoreModule } from './core.module';
import { DatabaseModule } from './database/database.module';
import { DevicesModule } from './devices/devices.module';
import { HealthController } from './health/health.controller';
import { MetricsModule } from './metrics/metrics.module';
import { SessionsModule } from './sessions/sessions.module';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

@Module({})
export class AppModule {
  static forRoot(config: RuntimeConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, options.clock),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Secrets never reach the logs: no auth header, no cookies, no bodies.
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.body', 'refresh_token', 'password'],
              censor: '[redacted]',
            },
            genReqId: (request: IncomingMessage, response: ServerResponse) => {
              const incoming = request.headers['x-request-id'];
              const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
              response.setHeader('x-request-id', id);
              return id;
            },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
            },
            autoLogging: { ignore: (request: IncomingMessage) => request.url === '/api/health' || request.url === '/api/metrics' },
          },
        }),
        DatabaseModule,
        MetricsModule,
        SessionsModule,
        AccountsModule,
        AuthModule,
        AccountSecurityModule,
        DevicesModule,
        AuditEventsModule,
      ],
      controllers: [HealthController],
    };
  }
}
