import { SECONDS_PER_MINUTE } from '@sessions/session-policy';

/**
 * The session-deadline rule of `@sessions/session-policy`, written once in SQL (ADR 0021).
 *
 * These build SQL *text* from identifiers and placeholders the caller writes in code (a table
 * alias, `$3`, `:now`) — never from values — so statements stay constants: `ROTATE_SQL` and the
 * device list are named prepared statements whose text is computed once, at module load. A
 * session is live while it is not revoked and `now` is before both of its deadlines (at a
 * deadline it has expired, as in `classifyExpiry`). `test/deadline-rule.property.spec.ts`
 * checks these fragments, run by PostgreSQL, against the library on generated inputs.
 */

/** A table alias (`s`, `c`) or `''` for a statement that names no alias. */
export type Alias = string;

/** A placeholder (`$3`, `:now`) or a column that holds "now". */
export type Now = string;

const column = (alias: Alias, name: string) => (alias === '' ? name : `${alias}.${name}`);

/** `auth_time + abs_max`: when the session ends however active it is. */
export function absoluteDeadline(alias: Alias): string {
  return `${column(alias, 'auth_time')} + make_interval(secs => ${column(alias, 'abs_max_seconds')})`;
}

/**
 * `last activity + idle_max`: when the session ends if it stays unused. The last activity is
 * the session row's `last_used_at`, or — in the rotation — the presented token's issue time.
 */
export function idleDeadline(alias: Alias, lastActivity = 'last_used_at'): string {
  return `${column(alias, lastActivity)} + make_interval(secs => ${column(alias, 'idle_max_seconds')})`;
}

/** Both deadlines still ahead of `now` (the session may be revoked: see {@link liveSession}). */
export function insideDeadlines(alias: Alias, now: Now, lastActivity?: string): string {
  return `${absoluteDeadline(alias)} > ${now}
     AND ${idleDeadline(alias, lastActivity)} > ${now}`;
}

/** A live session: not revoked, and `now` before both deadlines. Served by the `*_live` partial indexes. */
export function liveSession(alias: Alias, now: Now): string {
  return `${column(alias, 'revoked_at')} IS NULL
     AND ${insideDeadlines(alias, now)}`;
}

/** At or past a deadline: what the sweeper ends (the negation of {@link insideDeadlines}). */
export function pastDeadline(alias: Alias, now: Now): string {
  return `(${absoluteDeadline(alias)} <= ${now} OR ${idleDeadline(alias)} <= ${now})`;
}

/** The stored reason of a session {@link pastDeadline}: absolute wins, as in `classifyExpiry`. */
export function expiryReason(alias: Alias, now: Now): string {
  return `CASE WHEN ${absoluteDeadline(alias)} <= ${now} THEN 'expired_absolute' ELSE 'expired_idle' END`;
}

/** Where the rotation's tightening reads its inputs (aliases and placeholders of the statement). */
export interface TighteningInputs {
  /** The session (its snapshot). */
  session: Alias;
  /** `accounts`: `session_idle_minutes`, `session_absolute_minutes` (null: the operator default). */
  account: Alias;
  /** `role_policies` of the user's current role, LEFT JOINed (all NULL: no override). */
  role: Alias;
  /** Boolean: a legacy token carries no snapshot, so the current policy is taken as is. */
  legacy: string;
  /** The operator defaults, in seconds. */
  defaultIdleSeconds: string;
  defaultAbsoluteSeconds: string;
}

const minutes = (expression: string) => `${expression} * ${SECONDS_PER_MINUTE}`;
const snapshotOf = (i: TighteningInputs, field: string) => `CASE WHEN ${i.legacy} THEN NULL ELSE ${i.session}.${field} END`;
const accountIdle = (i: TighteningInputs) => `COALESCE(${minutes(`${i.account}.session_idle_minutes`)}, ${i.defaultIdleSeconds})`;
const accountAbsolute = (i: TighteningInputs) =>
  `COALESCE(${minutes(`${i.account}.session_absolute_minutes`)}, ${i.defaultAbsoluteSeconds})`;

/**
 * `tightenSnapshot(snapshot, tightenForRole(resolvePolicy(account), roleOverride)).absMaxSeconds`:
 * the smallest of the snapshot, the account's (or default) and the role's absolute limit. LEAST
 * skips NULLs: an absent override, or the snapshot of a legacy token.
 */
export function tightenedAbsMaxSeconds(i: TighteningInputs): string {
  return `LEAST(${snapshotOf(i, 'abs_max_seconds')},
                  ${accountAbsolute(i)}, ${minutes(`${i.role}.absolute_minutes`)})`;
}

/** The same for idle, which `tightenForRole` also caps at the tightened absolute limit. */
export function tightenedIdleMaxSeconds(i: TighteningInputs): string {
  return `LEAST(${snapshotOf(i, 'idle_max_seconds')},
                  ${accountIdle(i)}, ${minutes(`${i.role}.idle_minutes`)},
                  ${accountAbsolute(i)}, ${minutes(`${i.role}.absolute_minutes`)})`;
}
