import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { computeDeadlines, PolicySnapshot } from '@sessions/session-policy';
import { createHash, createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import type { Role } from '../common/auth/roles';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import type { AccessClaims, RefreshClaims, TokenPair } from './token.types';

export interface MintInput {
  userId: string;
  accountId: string;
  sessionId: string;
  role: Role;
  jti: string;
  snapshot: PolicySnapshot;
  /** unix seconds; the `iat` of both tokens */
  issuedAt: number;
}

/** SHA-256 of a `jti`: the only form in which a refresh token is stored. */
export function hashJti(jti: string): Buffer {
  return createHash('sha256').update(jti).digest();
}

export function newJti(): string {
  return randomUUID();
}

/**
 * HS256 keys as `KeyObject`s: given a string, jsonwebtoken first tries (and fails) to
 * parse it as a PEM key on every sign and verify, which costs ~0.5 ms each — half of the
 * API's CPU on the refresh path (auth0/node-jsonwebtoken#944). Same bytes, same tokens.
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Signs and verifies both token types; separate keys so one can never pass as the other. */
@Injectable()
export class TokenService {
  private readonly accessJwt: JwtService;
  private readonly refreshJwt: JwtService;

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
    const options = { signOptions: { algorithm: 'HS256' as const }, verifyOptions: { algorithms: ['HS256' as const] } };
    this.accessJwt = new JwtService({ ...options, secret: hmacKey(config.accessTokenSecret) });
    this.refreshJwt = new JwtService({ ...options, secret: hmacKey(config.refreshTokenSecret) });
  }

  mint(input: MintInput): TokenPair {
    const ttl = this.config.accessTokenTtlSeconds;
    const access: AccessClaims = {
      sub: input.userId,
      sid: input.sessionId,
      acc: input.accountId,
      role: input.role,
      typ: 'access',
      iat: input.issuedAt,
      exp: input.issuedAt + ttl,
    };
    const refresh: RefreshClaims = {
      sub: input.userId,
      sid: input.sessionId,
      jti: input.jti,
      typ: 'refresh',
      auth_time: input.snapshot.authTime,
      idle_max: input.snapshot.idleMaxSeconds,
      abs_max: input.snapshot.absMaxSeconds,
      iat: input.issuedAt,
      exp: input.issuedAt + input.snapshot.idleMaxSeconds,
    };
    const deadlines = computeDeadlines(input.snapshot, input.issuedAt);
    return {
      accessToken: this.accessJwt.sign(access),
      refreshToken: this.refreshJwt.sign(refresh),
      expiresIn: ttl,
      idleExpiresAt: new Date(deadlines.idleExpiresAt * 1000),
      absoluteExpiresAt: new Date(deadlines.absoluteExpiresAt * 1000),
    };
  }

  /**
   * Checks signature and shape only; expiry is the caller's business because an
   * expired refresh token is answered `session_expired_idle`, not "invalid".
   * Returns null for anything that is not a well-formed refresh token of ours.
   */
  verifyRefresh(token: string): RefreshClaims | null {
    if (token.length > 4096) return null;
    let claims: Partial<RefreshClaims>;
    try {
      claims = this.refreshJwt.verify<RefreshClaims>(token, { ignoreExpiration: true });
    } catch {
      return null;
    }
    const isInt = (v: unknown): v is number => Number.isInteger(v);
    if (claims.typ !== 'refresh' || typeof claims.jti !== 'string' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string')
      return null;
    if (!isInt(claims.iat) || !isInt(claims.exp)) return null;
    const snapshotClaims = [claims.auth_time, claims.idle_max, claims.abs_max];
    const present = snapshotClaims.filter((v) => v !== undefined).length;
    if (present !== 0 && (present !== 3 || !snapshotClaims.every(isInt))) return null;
    return claims as RefreshClaims;
  }
}
