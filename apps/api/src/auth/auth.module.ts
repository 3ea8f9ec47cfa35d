import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@sessions/audit';
import type { FastifyRequest } from 'fastify';
import { AccountsModule } from '../accounts/accounts.module';
import type { ClientInfo } from '../common/auth-user';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { SessionsModule } from '../sessions/sessions.module';
import { AuthController } from './auth.controller';
import { JwtAuthGuard, RolesGuard } from './auth.guards';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { RefreshService } from './refresh.service';
import { SignInService } from './sign-in.service';
import { TokenService } from './token.service';

type LoginRequest = FastifyRequest & { client?: ClientInfo; body?: { email?: unknown; username?: unknown } };

const loginEmail = (request: LoginRequest): string => {
  const value = request.body?.email ?? request.body?.username;
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
};

@Module({
  imports: [
    AccountsModule,
    SessionsModule,
    AuditModule,
    PassportModule.register({ defaultStrategy: 'jwt', session: false }),
    // Sign-in attempts are limited per client IP and per email address (credential stuffing, guessing).
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: RuntimeConfig) => ({
        throttlers: [
          {
            name: 'ip',
            ttl: config.rateLimit.windowSeconds * 1000,
            limit: config.rateLimit.loginPerIp,
            getTracker: (request: Record<string, unknown>) => {
              const login = request as unknown as LoginRequest;
              return login.client?.ip ?? login.ip;
            },
          },
          {
            name: 'email',
            ttl: config.rateLimit.windowSeconds * 1000,
            limit: config.rateLimit.loginPerEmail,
            getTracker: (request: Record<string, unknown>) => `email:${loginEmail(request as unknown as LoginRequest)}`,
          },
        ],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, RefreshService, SignInService, TokenService, JwtStrategy, JwtAuthGuard, RolesGuard],
  exports: [JwtAuthGuard, RolesGuard],
})
export class AuthModule {}
