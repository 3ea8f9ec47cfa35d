import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './roles';
import { ProblemDto } from '../problem.dto';
import { JwtAuthGuard, ROLES_KEY, RolesGuard } from './auth.guards';
import { RECENT_AUTH_KEY, RecentAuthGuard } from './recent-auth.guard';

/** Swagger's metadata key of `@ApiResponse` (`@nestjs/swagger`'s DECORATORS.API_RESPONSE). */
const API_RESPONSE = 'swagger/apiResponse';

/**
 * Documents a 403 cause, appended to any 403 already documented on the route: `@Auth`'s
 * `forbidden` and `@RequiresRecentAuth`'s `reauthentication_required` share one response
 * whichever order the decorators are written in (a plain `@ApiForbiddenResponse` would
 * replace the other's).
 */
function documentForbidden(description: string): MethodDecorator & ClassDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value as object | undefined) ?? target;
    const responses = Reflect.getMetadata(API_RESPONSE, holder) as Record<string, { description?: string }> | undefined;
    const existing = responses?.['403']?.description;
    const merged = existing && !existing.includes(description) ? `${existing} ${description}` : description;
    const decorator = ApiForbiddenResponse({ description: merged, type: ProblemDto });
    return descriptor ? decorator(target, key as string | symbol, descriptor) : (decorator as ClassDecorator)(target as never);
  }) as MethodDecorator & ClassDecorator;
}

/**
 * The one way to protect a route: access-token guard, optional role check, the step-up
 * check (a no-op unless `@RequiresRecentAuth()` marks the route), and the OpenAPI
 * metadata (bearer/OAuth2 security, documented 401 and 403) in one place, so the spec
 * always shows the rule the code enforces.
 */
export function Auth(options: { roles?: Role[] } = {}) {
  const roles = options.roles ?? [];
  const decorators = [
    SetMetadata(ROLES_KEY, roles),
    UseGuards(JwtAuthGuard, RolesGuard, RecentAuthGuard),
    ApiBearerAuth('bearer'),
    ApiOAuth2([], 'oauth2'),
    ApiUnauthorizedResponse({ description: 'Missing, expired or revoked access token (`unauthenticated`).', type: ProblemDto }),
  ];
  if (roles.length > 0) decorators.push(documentForbidden(`Only ${roles.join(', ')} (\`forbidden\`).`));
  return applyDecorators(...decorators);
}

/**
 * Marks a sensitive action (issue 15, ADR 0018): besides `@Auth()`, the caller must have
 * authenticated on this session — signed in or stepped up with `POST /auth/reauthenticate`
 * — within `STEP_UP_MAX_AGE_SECONDS`. Otherwise 403 `reauthentication_required` with
 * `max_age_seconds` and `authenticated_at`. One line opts a new endpoint in.
 */
export function RequiresRecentAuth() {
  return applyDecorators(
    SetMetadata(RECENT_AUTH_KEY, true),
    documentForbidden(
      'Authenticated on this session longer ago than the step-up window (`reauthentication_required`, with `max_age_seconds` and `authenticated_at`): confirm the password with `POST /api/auth/reauthenticate`, then retry.',
    ),
  );
}
