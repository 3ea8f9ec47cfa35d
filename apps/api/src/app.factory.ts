import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule, AppOptions } from './app.module';
import { registerClientInfoHook } from './common/client-info.hook';
import { trustProxyOption } from './common/client-ip';
import { registerContentTypeHook } from './common/content-type.hook';
import { registerSecurityHeaders } from './common/security-headers';
import { Drain } from './common/drain';
import { clientErrorHandler, frameworkErrorHandler } from './common/early-errors';
import { useSafeJsonParser } from './common/json-body';
import { requestId } from './common/request-id';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation';
import type { RuntimeConfig } from './config/runtime-config';
import { MetricsService } from './metrics/metrics.service';
import { serveConsole } from './console-static';
import { setupSwagger } from './swagger';

export const API_PREFIX = 'api';

const drains = new WeakMap<NestFastifyApplication, Drain>();

/** The drain of an app built by {@link createApp} (main.ts runs it on SIGTERM). */
export function drainOf(app: NestFastifyApplication): Drain {
  const drain = drains.get(app);
  if (!drain) throw new Error('not an app built by createApp');
  return drain;
}

/** Where the built console is: CONSOLE_DIR, or next to the API bundle in dist/apps. */
function consoleDirectory(config: RuntimeConfig): string | null {
  const candidates = [config.consoleDir, join(__dirname, '..', 'console', 'browser')].filter((d): d is string => !!d);
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Builds the whole application — the same pipeline for `npm start` and for tests:
 * Fastify, problem+json errors, validation, client info, metrics, Swagger and the console.
 */
export async function createApp(config: RuntimeConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const bodyLimit = 64 * 1024;
  // X-Forwarded-For is believed only from TRUSTED_PROXIES (Fastify's trustProxy walks the chain).
  const trust = trustProxyOption(config.trustedProxies);
  const adapter = new FastifyAdapter({
    trustProxy: trust,
    bodyLimit,
    routerOptions: { maxParamLength: 200 },
    genReqId: requestId,
    // Errors raised before routing and by Node's HTTP parser get the same problem+json.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
  useSafeJsonParser(app, bodyLimit);
  // No enableShutdownHooks(): main.ts owns SIGTERM/SIGINT (drain, close, stop PostgreSQL, exit 0).

  const fastify = app.getHttpAdapter().getInstance();
  const drain = app.get(Drain);
  drains.set(app, drain);
  await app.register(fastifyCookie);
  // helmet's headers, computed once (common/security-headers.ts).
  await registerSecurityHeaders(fastify, {
    // Scripts: same-origin files only. The console is built without inline scripts or
    // handlers (inlineCritical off) and Swagger UI loads swagger-ui-init.js as a file;
    // console-e2e csp.spec.ts checks both in Chromium. Styles stay inline-capable
    // (Angular Material and Swagger UI set style attributes).
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'", 'https:'],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', drain.onRequest);
  registerClientInfoHook(fastify, trust);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  registerContentTypeHook(fastify);

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  const consoleDir = consoleDirectory(config);
  const spaFallback = consoleDir ? await serveConsole(app, fastify, consoleDir, API_PREFIX) : () => false;

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(spaFallback));
  setupSwagger(app);
  await app.init();
  await fastify.ready();
  return app;
}
