/**
 * An account-wide revocation as every replica's revocation cache holds it (ADR 0028): instead
 * of the ids of 100k ended sessions, one rule — "every access token of account `accountId`
 * issued before `issuedBefore` (unix seconds) is refused, except those of `exceptUserId`".
 *
 * Why the rule is exact together with the few ids sent alongside: a token is minted only by a
 * sign-in or a refresh, each of which reads the clock *before* its write that needs the
 * session live and stamps `last_used_at` with that second (= the token's `iat`). The
 * revoking statement reads the clock (`now`) before its UPDATE, so
 * - a token with `iat < floor(now)` of that account: its session existed before the UPDATE,
 *   so it ended now (or earlier) — the rule refuses it;
 * - a token with `iat >= floor(now)` of an ended session: its row showed `last_used_at >=
 *   iat` to the UPDATE, so its id is among the "recent" ids (`last_used_at` within
 *   {@link RECENT_MARGIN_SECONDS} before `now`, the same minute the cache allows for clock skew
 *   between replicas), which go through the per-id cache as before.
 */
export interface AccountRevocation {
  accountId: string;
  /** unix seconds: tokens issued strictly before it are refused */
  issuedBefore: number;
  /** the user whose sessions stay (scope `others`), or null (`everyone`) */
  exceptUserId: string | null;
}

/** The channel of account-wide revocations; `session_revoked` keeps carrying ids. */
export const ACCOUNT_REVOKED_CHANNEL = 'account_sessions_revoked';

/** Sessions used this long before the revocation are notified by id as well (clock skew between replicas). */
export const RECENT_MARGIN_SECONDS = 60;

export function accountRevocationPayload(rule: AccountRevocation): string {
  return JSON.stringify({ a: rule.accountId, b: rule.issuedBefore, u: rule.exceptUserId });
}

/** The payload of {@link ACCOUNT_REVOKED_CHANNEL}, or null when it is not one (never throws). */
export function parseAccountRevocation(payload: string): AccountRevocation | null {
  try {
    const value = JSON.parse(payload) as { a?: unknown; b?: unknown; u?: unknown };
    if (typeof value.a !== 'string' || !Number.isInteger(value.b)) return null;
    if (value.u !== null && typeof value.u !== 'string') return null;
    return { accountId: value.a, issuedBefore: value.b as number, exceptUserId: value.u };
  } catch {
    return null;
  }
}

/** Whether `rule` refuses an access token with these claims. */
export function refusesToken(rule: AccountRevocation, token: { accountId: string; userId: string; issuedAt: number }): boolean {
  return token.accountId === rule.accountId && token.issuedAt < rule.issuedBefore && token.userId !== rule.exceptUserId;
}
