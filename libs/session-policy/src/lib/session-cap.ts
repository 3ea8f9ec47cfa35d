/**
 * Checks an account's cap on live sessions per user (`max_sessions_per_user`); `null`
 * when it may be saved. `null` means "the system cap" (`SESSION_MAX_PER_USER`); an
 * account may only lower it, and never below one session.
 */
export function validateSessionCap(value: number | null | undefined, systemMax: number): string | null {
  if (value === null || value === undefined) return null;
  const v: unknown = value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= systemMax) return null;
  return `max_sessions_per_user must be an integer between 1 and ${systemMax}`;
}

/** The cap in force: the account's own, never above the system cap. */
export function effectiveSessionCap(accountCap: number | null, systemMax: number): number {
  return accountCap === null ? systemMax : Math.min(accountCap, systemMax);
}
