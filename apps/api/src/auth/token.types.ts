import type { Role } from '../common/auth/roles';

/** Access token claims (JWT, HS256, 5 minutes). */
export interface AccessClaims {
  sub: string;
  sid: string;
  acc: string;
  role: Role;
  typ: 'access';
  iat: number;
  exp: number;
}

/**
 * Refresh token claims. Format versions:
 * - v2 (current): carries the policy snapshot `auth_time`, `idle_max`, `abs_max`
 *   (seconds) and `exp = iat + idle_max`;
 * - v1 (legacy): the same without the snapshot claims. Accepted once, then upgraded:
 *   its successor is v2 with a fresh snapshot of the account's policy.
 */
export interface RefreshClaims {
  sub: string;
  sid: string;
  jti: string;
  typ: 'refresh';
  auth_time?: number;
  idle_max?: number;
  abs_max?: number;
  iat: number;
  exp: number;
}

/** The token response of every sign-in path and of refresh. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}
