import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenVerifier } from '../common/auth/access-token-verifier';
import { ROLES } from '../common/auth/roles';
import type { AuthUser } from '../common/auth-user';
import { Clock } from '../common/clock';
import { unauthenticated } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { SessionRevocations } from '../sessions/session-revocations.service';
import { TokenService } from './token.service';

/**
 * Verifies the access token for the `@Auth()` guard: signature (HS256 only, the access
 * key), then expiry against the injected clock, the token type, the lifetime, and the
 * in-memory revocation cache — no database read per request.
 */
@Injectable()
export class AccessTokenAuthenticator extends AccessTokenVerifier {
  private readonly maxLifetimeSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: RuntimeConfig,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
  ) {
    super();
    this.maxLifetimeSeconds = config.accessTokenTtlSeconds;
  }

  authenticate(token: string): AuthUser {
    const claims = this.tokens.verifyAccess(token);
    if (!claims) throw unauthenticated();
    if (claims.typ !== 'access' || typeof claims.exp !== 'number' || claims.exp <= this.clock.nowSeconds()) {
      throw unauthenticated('The access token is expired or not an access token.');
    }
    // We never mint a longer-lived token: one that claims more was not made by this
    // configuration (a leaked key, or an old TTL) and is refused.
    if (typeof claims.iat !== 'number' || claims.exp - claims.iat > this.maxLifetimeSeconds) {
      throw unauthenticated('The access token lives longer than this service allows.');
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.sid !== 'string' ||
      typeof claims.acc !== 'string' ||
      !ROLES.includes(claims.role as never)
    ) {
      throw unauthenticated();
    }
    if (this.revocations.isTokenRevoked({ sessionId: claims.sid, accountId: claims.acc, userId: claims.sub, issuedAt: claims.iat })) {
      throw unauthenticated('The session has ended.');
    }
    return { userId: claims.sub, sessionId: claims.sid, accountId: claims.acc, role: claims.role as AuthUser['role'] };
  }
}
