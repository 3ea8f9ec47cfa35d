import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenResponseDto } from './dto/auth.dto';
import type { TokenPair } from './token.types';

export const REFRESH_COOKIE = 'sessions_refresh';
const COOKIE_PATH = '/api/auth';
/** How long after its session's last deadline the cookie stays, to tell the user why they were signed out. */
export const EXPLAIN_AFTER_END_SECONDS = 30 * 24 * 3600;

/** Browser mode: the client asks for the refresh token in an HttpOnly cookie. */
export function wantsCookie(request: FastifyRequest): boolean {
  return String(request.headers['x-token-transport'] ?? '').toLowerCase() === 'cookie';
}

/**
 * TLS on our own socket. Deliberately not `request.protocol`: with `trustProxy` set that
 * would follow a trusted proxy's X-Forwarded-Proto, a change the cookie flags have not had.
 */
export function isHttps(request: FastifyRequest, forceSecure: boolean): boolean {
  return forceSecure || (request.raw.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
}

/**
 * Renders a token pair. In cookie mode the refresh token goes into an
 * `HttpOnly; SameSite=Strict; Path=/api/auth` cookie — unreadable by page scripts,
 * sent only to the auth endpoints — and never into the body.
 */
export function sendTokens(
  request: FastifyRequest,
  reply: FastifyReply,
  pair: TokenPair,
  forceSecure: boolean,
  now: Date,
  /** The OIDC callback of a browser: the cookie is the only way the token may travel (never a URL). */
  forceCookie = false,
): TokenResponseDto {
  // RFC 6749 §5.1: no cache (browser, proxy) may keep a response that carries a token.
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  const body: TokenResponseDto = {
    access_token: pair.accessToken,
    token_type: 'bearer',
    expires_in: pair.expiresIn,
    idle_expires_at: pair.idleExpiresAt.toISOString(),
    absolute_expires_at: pair.absoluteExpiresAt.toISOString(),
  };
  if (!forceCookie && !wantsCookie(request)) return { ...body, refresh_token: pair.refreshToken };
  // The cookie outlives the token's own deadlines on purpose: a browser that comes back
  // after the idle (or absolute) deadline must still present it, so the API can answer
  // *why* the session ended (`session_expired_idle`, …) instead of "no token". A dead
  // token is worthless to whoever holds it: it can never rotate again.
  const maxAge = Math.max(0, Math.floor((pair.absoluteExpiresAt.getTime() - now.getTime()) / 1000)) + EXPLAIN_AFTER_END_SECONDS;
  void reply.setCookie(REFRESH_COOKIE, pair.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
    secure: isHttps(request, forceSecure),
    maxAge,
  });
  return body;
}

export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply, forceSecure: boolean): void {
  if (request.cookies?.[REFRESH_COOKIE] === undefined && !wantsCookie(request)) return;
  void reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', path: COOKIE_PATH, secure: isHttps(request, forceSecure) });
}

/** The body's token wins; the cookie is the fallback for browser clients. */
export function presentedRefreshToken(request: FastifyRequest, fromBody: string | undefined): string | undefined {
  return fromBody ?? request.cookies?.[REFRESH_COOKIE];
}
