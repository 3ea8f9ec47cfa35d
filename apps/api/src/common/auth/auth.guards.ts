import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Role } from './roles';
import type { AuthUser } from '../auth-user';
import { ProblemException, unauthenticated } from '../problem';

export const ROLES_KEY = 'sessions:roles';

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof ProblemException) throw error;
    if (error || !user) throw unauthenticated();
    return user;
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
