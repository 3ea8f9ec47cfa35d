import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from './roles';
import type { AuthUser } from '../auth-user';
import { ProblemException, unauthenticated } from '../problem';
import { AccessTokenVerifier } from './access-token-verifier';

export const ROLES_KEY = 'sessions:roles';

/**
 * The bearer token of an `Authorization` header, parsed as passport-jwt's
 * `fromAuthHeaderAsBearerToken` did (first two whitespace-separated words, scheme
 * case-insensitive), so no header is read differently since passport left.
 */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /(\S+)\s+(\S+)/.exec(header);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : null;
}

/**
 * Authenticates the access token: no passport — a strategy registry, a callback chain and
 * closures per request added nothing here but CPU on every guarded request (issue 11).
 * Missing or unreadable tokens are the plain 401 `unauthenticated`; the verifier's own
 * refusals (expired, too long-lived, session ended) keep their detail.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthenticated();
    request.user = this.verifier.authenticate(token);
    return true;
  }
}

/** Lets through only the roles named by `@Auth({ roles })`; runs after the JWT guard. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw unauthenticated();
    if (!roles.includes(user.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', `This action needs the role ${roles.join(' or ')}.`);
    }
    return true;
  }
}
