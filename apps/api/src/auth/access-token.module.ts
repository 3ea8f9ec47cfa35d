import { Global, Module } from '@nestjs/common';
import { AccessTokenVerifier } from '../common/auth/access-token-verifier';
import { SessionsModule } from '../sessions/sessions.module';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { TokenService } from './token.service';

/**
 * Global because `@Auth()` puts the JWT guard on routes of every feature module, and Nest
 * resolves a guard's dependencies (here {@link AccessTokenVerifier}) in the module of the
 * controller — what passport's global strategy registry used to do for it.
 */
@Global()
@Module({
  imports: [SessionsModule],
  providers: [TokenService, AccessTokenAuthenticator, { provide: AccessTokenVerifier, useExisting: AccessTokenAuthenticator }],
  exports: [TokenService, AccessTokenVerifier],
})
export class AccessTokenModule {}
