import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { startTime } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountSecurityModule } from './account-security/account-security.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuditEventsModule } from './audit/audit-events.module';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import { redactUrl } from './common/redact-url';
import type { RuntimeConfig } from './config/runtime-config';
import { CoreModule } from './core.module';
import { DatabaseModule } from './database/database.module';
import { DevicesModule } from './devices/devices.module';
import { HealthController } from './health/health.controller';
import { HealthRepository } from './health/health.repository';
import { HealthService } from './health/health.service';
import { IdentitiesModule } from './identities/identities.module';
import { MetricsModule } from './metrics/metrics.module';
import { SessionsModule } from './sessions/sessions.module';
import { StepUpModule } from './common/auth/step-up.module';

/**
 * The request URL as logged: an OIDC callback's query (authorization code, state) is
 * dropped whole (the state too) — single-use and PKCE-bound as the code is, it has no
 * business in logs; elsewhere credential-like parameters are redacted.
 */
export function loggableUrl(url: string): string {
  return /^\/api\/auth\/oauth\/[^/?]+\/callback\?/.test(url) ? `${url.slice(0, url.indexOf('?'))}?[redacted]` : redactUrl(url);
}

/** Probes and scrapes: asked every few seconds, logged never. */
const QUIET_URLS = new Set(['/api/health', '/api/health/ready', '/api/health/live', '/api/metrics']);

/**
 * LOG_REQUESTS: which finished requests get their `request completed` line. Writing it
 * (serialise, redact, write to stdout) is per-request work on the event loop; `errors`
 * keeps what operations act on — answers of 400 and above, and requests slower than
 * LOG_SLOW_REQUEST_MS — and drops the lines of the hot paths' successes.
 */
export function requestLogLevel(config: Pick<RuntimeConfig, 'logRequests' | 'logSlowRequestMs'>) {
  return (_request: IncomingMessage, response: ServerResponse, error?: Error): 'info' | 'silent' => {
    if (config.logRequests === 'all') return 'info';
    if (config.logRequests === 'off') return 'silent';
    const started = (response as ServerResponse & { [startTime]?: number })[startTime] ?? Date.now();
    return error || response.statusCode >= 400 || Date.now() - started >= config.logSlowRequestMs ? 'info' : 'silent';
  };
}

export interface AppOptions {
  clock?: Clock;
  /** Where the JSON logs go (stdout by default); tests capture them. */
  logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: RuntimeConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, options.clock),
        LoggerModule.forRoot({
          // nestjs-pino's default route ('*') makes Nest 12 print two raw JSON warnings
          // (LegacyRouteConverter) above the terminal banner; '{*path}' is the same routes.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: [
            {
              level: config.logLevel,
              // Secrets never reach the logs: no auth header, no cookies, no bodies.
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers.cookie',
                  'res.headers["set-cookie"]',
                  'req.body',
                  'refresh_token',
                  'password',
                ],
                censor: '[redacted]',
              },
              // Fastify assigns the id (see app.factory.ts); pino-http reuses it.
              genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? 'unknown',
              serializers: {
                // A token a client put in the URL (?access_token=…) is redacted like the headers are.
                req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              autoLogging:
                config.logRequests === 'off' ? false : { ignore: (request: IncomingMessage) => QUIET_URLS.has(request.url ?? '') },
              customLogLevel: requestLogLevel(config),
            },
            options.logStream ?? process.stdout,
          ],
        }),
        DatabaseModule,
        MetricsModule,
        SessionsModule,
        StepUpModule,
        AccountsModule,
        AuthModule,
        AccountSecurityModule,
        DevicesModule,
        AuditEventsModule,
        IdentitiesModule,
      ],
      controllers: [HealthController],
      providers: [HealthService, HealthRepository],
    };
  }
}
