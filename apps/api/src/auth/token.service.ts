import { Inject, Injectable } from '@nestjs/common';
import { computeDeadlines, PolicySnapshot } from '@sessions/session-policy';
import { createHash, createHmac, createSecretKey, randomUUID, timingSafeEqual } from 'node:crypto';
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

/** No token we mint comes near this; a longer one is refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;

type Claims = Record<string, unknown>;

/** `{"alg":"HS256","typ":"JWT"}`: the only header we sign, byte for byte what jsonwebtoken and fast-jwt wrote. */
const HS256_HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
const HEADER_PREFIX = `${HS256_HEADER}.`;

/**
 * One HS256 key on `node:crypto` directly (the key imported once as a `KeyObject`): the
 * refresh path signs two tokens and verifies one, and fast-jwt's generic signer and
 * decoder cost about twice the HMAC itself (docs/benchmark-notes.md). Verification is
 * strict: the header must be exactly ours (so `none`, other algorithms, `crit` or any other
 * header is refused before the HMAC), three parts, and the signature the canonical
 * base64url of the HMAC, compared in constant time. The claims must be a JSON object.
 * Signature and shape only, not time: `exp`/`iat` are judged by the callers against the
 * injected `Clock`.
 */
function hs256(secret: string): { sign: (claims: object) => string; verify: (token: string) => Claims | null } {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const mac = (input: string) => createHmac('sha256', key).update(input).digest('base64url');
  return {
    sign: (claims) => {
      const input = HEADER_PREFIX + Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${input}.${mac(input)}`;
    },
    verify: (token) => {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !token.startsWith(HEADER_PREFIX)) return null;
      const dot = token.indexOf('.', HEADER_PREFIX.length);
      if (dot === -1 || token.indexOf('.', dot + 1) !== -1) return null;
      const expected = Buffer.from(mac(token.slice(0, dot)));
      const given = Buffer.from(token.slice(dot + 1));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims: unknown = JSON.parse(Buffer.from(token.slice(HEADER_PREFIX.length, dot), 'base64url').toString('utf8'));
        return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Claims) : null;
      } catch {
        return null;
      }
    },
  };
}

/** Signs and verifies both token types; separate keys so one can never pass as the other. */
@Injectable()
export class TokenService {
  private readonly accessJwt: ReturnType<typeof hs256>;
  private readonly refreshJwt: ReturnType<typeof hs256>;

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
    this.accessJwt = hs256(config.accessTokenSecret);
    this.refreshJwt = hs256(config.refreshTokenSecret);
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
   * The claims of a token signed with the access key (HS256), or null. Signature only:
   * type, lifetime and revocation are the authenticator's checks.
   */
  verifyAccess(token: string): Partial<AccessClaims> | null {
    return this.accessJwt.verify(token) as Partial<AccessClaims> | null;
  }

  /**
   * Checks signature and shape only; expiry is the caller's business because an
   * expired refresh token is answered `session_expired_idle`, not "invalid".
   * Returns null for anything that is not a well-formed refresh token of ours.
   */
  verifyRefresh(token: string): RefreshClaims | null {
    const claims = this.refreshJwt.verify(token) as Partial<RefreshClaims> | null;
    if (!claims) return null;
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
