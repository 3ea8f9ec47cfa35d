import type { TokenResponseDto } from '@sessions/api-client';
import type { SessionDeadlines } from '@sessions/session-policy';

/**
 * The session's deadlines in this browser's clock (unix seconds).
 *
 * The server states deadlines in its own clock. A laptop clock that is off by
 * a few minutes would make the expiry toast lie, so the deadlines are shifted
 * by the skew between this browser and the server, measured with the access
 * token's `iat` (the server's "now" when it answered).
 */
export function clientDeadlines(
  tokens: Pick<TokenResponseDto, 'access_token' | 'idle_expires_at' | 'absolute_expires_at'>,
  clientNowSeconds: number,
): SessionDeadlines {
  const issuedAt = issuedAtOf(tokens.access_token);
  const skew = issuedAt === null ? 0 : clientNowSeconds - issuedAt;
  return {
    idleExpiresAt: Date.parse(tokens.idle_expires_at) / 1000 + skew,
    absoluteExpiresAt: Date.parse(tokens.absolute_expires_at) / 1000 + skew,
  };
}

/** The `iat` claim of a JWT, read without verifying it (only the server can). */
function issuedAtOf(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) {
    return null;
  }
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const iat: unknown = (JSON.parse(json) as Record<string, unknown>)['iat'];
    return typeof iat === 'number' && Number.isFinite(iat) ? iat : null;
  } catch {
    return null;
  }
}
