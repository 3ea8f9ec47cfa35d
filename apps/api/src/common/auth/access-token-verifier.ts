import type { AuthUser } from '../auth-user';

/**
 * What the `@Auth()` guard needs from the auth feature: turn a bearer token into the
 * caller, or throw the 401 problem saying why not. Abstract here because common/ imports
 * no feature folder; the auth module provides the implementation (`AccessTokenAuthenticator`).
 */
export abstract class AccessTokenVerifier {
  abstract authenticate(token: string): AuthUser;
}
