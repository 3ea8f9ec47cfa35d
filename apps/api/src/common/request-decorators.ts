import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser, ClientInfo } from './auth-user';
import { unauthenticated } from './problem';

type RequestWithUser = FastifyRequest & { user?: AuthUser; client?: ClientInfo };

/** The caller set by the JWT guard; only valid on routes behind `@Auth()`. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw unauthenticated();
  return user;
});

/** Client IP (trusted-proxy aware) and user agent, resolved once per request by a hook in main. */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ClientInfo => {
  return ctx.switchToHttp().getRequest<RequestWithUser>().client ?? { ip: null, userAgent: null };
});
