import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { registerSwaggerAuthAssets, SWAGGER_AUTH_SCRIPT_PATH, SWAGGER_AUTH_STYLE_PATH, swaggerAuthOptions } from './swagger-auth';

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Stable, unique operation ids (`membersList`, `authRefresh`): the generated client's method names. */
export const operationId = (controllerKey: string, methodKey: string) =>
  lowerFirst(controllerKey.replace(/Controller$/, '')) + upperFirst(methodKey);

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Sessions API')
    .setDescription(
      'Session-expiration policy platform: sign-in, refresh-token rotation with policy snapshots, account session policy, devices and the audit log. Errors are RFC 9457 problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'Sign in with your email as username. In Swagger UI the refresh token stays in an HttpOnly cookie and the page renews the access token when it expires.',
        flows: { password: { tokenUrl: '/api/auth/login', scopes: {} } },
      },
      'oauth2',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  // Sorted so the committed openapi.json only changes when the API does.
  return { ...document, paths: sortKeys(document.paths), components: sortKeys(document.components) };
}

export function setupSwagger(app: INestApplication): void {
  registerSwaggerAuthAssets(app.getHttpAdapter().getInstance() as FastifyInstance);
  SwaggerModule.setup('api/docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    // The authorization (access token only: see swagger-auth.ts) survives a reload.
    swaggerOptions: { persistAuthorization: true, ...swaggerAuthOptions },
    customJs: SWAGGER_AUTH_SCRIPT_PATH,
    customCssUrl: SWAGGER_AUTH_STYLE_PATH,
    customSiteTitle: 'Sessions API',
  });
}
