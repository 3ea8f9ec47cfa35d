import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from '../auth-user';
import { Clock } from '../clock';
import { ProblemException, unauthenticated, waitPhrase } from '../problem';
import { APP_CONFIG } from '../../config/app-config';
import type { RuntimeConfig } from '../../config/runtime-config';
import { StepUpRepository } from './step-up.repository';

export const RECENT_AUTH_KEY = 'sessions:recent-auth';

/** 403 `reauthentication_required`, saying how recent it must be and how recent it is. */
export function reauthenticationRequired(maxAgeSeconds: number, authenticatedAt: Date): ProblemException {
  return new ProblemException(
    HttpStatus.FORBIDDEN,
    'reauthentication_required',
    `This action needs an authentication within the last ${waitPhrase(maxAgeSeconds)}; confirm your password (POST /api/auth/reauthenticate) and retry.`,
    undefined,
    undefined,
    undefined,
    { max_age_seconds: maxAgeSeconds, authenticated_at: authenticatedAt.toISOString() },
  );
}

/**
 * Runs after the JWT and role guards on every `@Auth()` route and does nothing unless the
 * route is marked `@RequiresRecentAuth()`. Then it reads the session's last authentication
 * from the database (the truth: an access token minted before a step-up must see it, and
 * one minted before a revocation must not pass) and refuses a stale one. Sensitive actions
 * are rare, so one primary-key read each costs nothing that matters; the hot paths never
 * reach the read.
 */
@Injectable()
export class RecentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly stepUp: StepUpRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.reflector.getAllAndOverride<boolean | undefined>(RECENT_AUTH_KEY, [context.getHandler(), context.getClass()])) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw unauthenticated();
    const authenticatedAt = await this.stepUp.lastAuthenticatedAt(user);
    if (!authenticatedAt) throw unauthenticated('The session has ended.');
    const maxAge = this.config.stepUpMaxAgeSeconds;
    if (this.clock.now().getTime() - authenticatedAt.getTime() > maxAge * 1000) throw reauthenticationRequired(maxAge, authenticatedAt);
    return true;
  }
}
