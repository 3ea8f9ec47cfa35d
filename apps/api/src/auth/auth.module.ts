import { Module } from '@nestjs/common';
import { AuditModule } from '@sessions/audit';
import { AccountsModule } from '../accounts/accounts.module';
import { AccessTokenModule } from './access-token.module';
import { IdentitiesModule } from '../identities/identities.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AuthController } from './auth.controller';
import { AuthLimits } from './auth-limits.service';
import { JwtAuthGuard, RolesGuard } from '../common/auth/auth.guards';
import { AuthService } from './auth.service';
import { OidcController } from './oidc/oidc.controller';
import { OidcProviders } from './oidc/oidc-providers.service';
import { OidcSignInService } from './oidc/oidc-sign-in.service';
import { RefreshService } from './refresh.service';
import { SignInLimiter } from './sign-in-limiter.service';
import { SignInService } from './sign-in.service';
import { ReauthenticationService } from './step-up/reauthentication.service';
import { StepUpController } from './step-up/step-up.controller';
import { OidcStepUpController } from './step-up/oidc-step-up.controller';
import { OidcStepUpService } from './step-up/oidc-step-up.service';

@Module({
  imports: [AccountsModule, SessionsModule, AuditModule, AccessTokenModule, RateLimitModule, IdentitiesModule],
  controllers: [AuthController, OidcController, StepUpController, OidcStepUpController],
  providers: [
    OidcProviders,
    OidcSignInService,
    AuthService,
    AuthLimits,
    ReauthenticationService,
    OidcStepUpService,
    SignInLimiter,
    RefreshService,
    SignInService,
    JwtAuthGuard,
    RolesGuard,
  ],
  exports: [JwtAuthGuard, RolesGuard],
})
export class AuthModule {}
