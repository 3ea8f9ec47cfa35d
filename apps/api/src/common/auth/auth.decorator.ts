import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './roles';
import { ProblemDto } from '../problem.dto';
import { JwtAuthGuard, ROLES_KEY, RolesGuard } from './auth.guards';

/**
 * The one way to protect a route: access-token guard, optional role check, and the
 * OpenAPI metadata (bearer/OAuth2 security, documented 401 and 403) in one place,
 * so the spec always shows the rule the code enforces.
 */
export function Auth(options: { roles?: Role[] } = {}) {
  const roles = options.roles ?? [];
  const decorators = [
    SetMetadata(ROLES_KEY, roles),
    UseGuards(JwtAuthGuard, RolesGuard),
    ApiBearerAuth('bearer'),
    ApiOAuth2([], 'oauth2'),
    ApiUnauthorizedResponse({ description: 'Missing, expired or revoked access token (`unauthenticated`).', type: ProblemDto }),
  ];
  if (roles.length > 0) {
    decorators.push(ApiForbiddenResponse({ description: `Only ${roles.join(', ')} (\`forbidden\`).`, type: ProblemDto }));
  }
  return applyDecorators(...decorators);
}
