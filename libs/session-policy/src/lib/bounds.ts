/**
 * Operator-configured limits for session policies, in minutes.
 *
 * Bounds exist so an account owner can tighten or loosen their own policy
 * without being able to pick values the operator considers unsafe (a session
 * that never expires) or unusable (a 1-minute idle timeout). The defaults are
 * what an account gets while it has no override (the "Strict" preset).
 */
export interface PolicyBounds {
  idleMinutesDefault: number;
  idleMinutesMin: number;
  idleMinutesMax: number;
  absoluteMinutesDefault: number;
  absoluteMinutesMin: number;
  absoluteMinutesMax: number;
}

/**
 * The system defaults from the contract (idle 3 days within 15 min–30 days,
 * absolute 14 days within 1 hour–90 days). Deployments may replace them via
 * `SESSION_*_MINUTES_*` configuration; frozen so no caller can change the
 * limits for everyone else at runtime.
 */
export const SYSTEM_POLICY_BOUNDS: PolicyBounds = Object.freeze({
  idleMinutesDefault: 4320,
  idleMinutesMin: 15,
  idleMinutesMax: 43200,
  absoluteMinutesDefault: 20160,
  absoluteMinutesMin: 60,
  absoluteMinutesMax: 129600,
});

/**
 * The most minutes any bound (and so any stored policy) may be: one year. The database
 * stores policies as minutes with CHECK (… BETWEEN 1 AND 525600), so a larger bound would
 * let an owner choose a value the API validates and the database then refuses.
 */
export const POLICY_MINUTES_CEILING = 525_600;

const BOUND_FIELDS = [
  'idleMinutesDefault',
  'idleMinutesMin',
  'idleMinutesMax',
  'absoluteMinutesDefault',
  'absoluteMinutesMin',
  'absoluteMinutesMax',
] as const satisfies readonly (keyof PolicyBounds)[];

/**
 * Fails fast on inconsistent bounds, naming the offending field.
 *
 * Bounds come from environment variables, so a typo must stop the process at
 * start-up rather than surface later as accounts whose policy can never
 * validate (min > max) or whose default session is already invalid
 * (default outside its range, or default idle longer than default absolute,
 * which would break the idle ≤ absolute invariant for every account without
 * an override).
 *
 * @throws Error whose message starts with the name of the bad field.
 */
export function assertValidBounds(b: PolicyBounds): void {
  for (const field of BOUND_FIELDS) {
    const value: unknown = b[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new Error(`${field} must be a positive integer number of minutes (got ${String(value)})`);
    }
    if (value > POLICY_MINUTES_CEILING) {
      throw new Error(`${field} must not exceed ${POLICY_MINUTES_CEILING} minutes, one year (got ${value})`);
    }
  }
  assertRange('idle', b.idleMinutesDefault, b.idleMinutesMin, b.idleMinutesMax);
  assertRange('absolute', b.absoluteMinutesDefault, b.absoluteMinutesMin, b.absoluteMinutesMax);
  if (b.idleMinutesDefault > b.absoluteMinutesDefault) {
    throw new Error(`idleMinutesDefault (${b.idleMinutesDefault}) must not exceed absoluteMinutesDefault (${b.absoluteMinutesDefault})`);
  }
}

function assertRange(kind: 'idle' | 'absolute', def: number, min: number, max: number): void {
  if (min > max) {
    throw new Error(`${kind}MinutesMin (${min}) must not exceed ${kind}MinutesMax (${max})`);
  }
  if (def < min || def > max) {
    throw new Error(`${kind}MinutesDefault (${def}) must be between ${kind}MinutesMin (${min}) and ${kind}MinutesMax (${max})`);
  }
}
