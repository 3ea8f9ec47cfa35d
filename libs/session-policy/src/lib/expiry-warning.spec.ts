import fc from 'fast-check';
import { snapshotArb } from '../testing/arbitraries';
import { AUTH_TIME } from '../testing/builders';
import { computeDeadlines, type SessionDeadlines } from './deadlines';
import { EXPIRY_WARNING_STATES, expiryWarning, type ExpiryWarning } from './expiry-warning';

const HOUR = 3600;
const IDLE_FIRST: SessionDeadlines = {
  idleExpiresAt: AUTH_TIME + HOUR,
  absoluteExpiresAt: AUTH_TIME + 10 * HOUR,
};
const ABS_FIRST: SessionDeadlines = {
  // Not produced by computeDeadlines (idle is capped), but a client may hold stale values.
  idleExpiresAt: AUTH_TIME + 10 * HOUR,
  absoluteExpiresAt: AUTH_TIME + HOUR,
};
const EQUAL: SessionDeadlines = {
  idleExpiresAt: AUTH_TIME + HOUR,
  absoluteExpiresAt: AUTH_TIME + HOUR,
};

describe('expiryWarning', () => {
  const deadline = IDLE_FIRST.idleExpiresAt;

  it.each<[string, number, ExpiryWarning]>([
    ['far away', AUTH_TIME, 'none'],
    ['301 s left (just outside the default window)', deadline - 301, 'none'],
    ['300 s left (edge of the default window)', deadline - 300, 'soon'],
    ['1 s left', deadline - 1, 'soon'],
    ['at the deadline', deadline, 'now'],
    ['past the deadline', deadline + 1000, 'now'],
  ])('%s → %s', (_label, now, state) => {
    expect(expiryWarning(IDLE_FIRST, now).state).toBe(state);
  });

  it('reason is null when there is nothing to warn about', () => {
    expect(expiryWarning(IDLE_FIRST, AUTH_TIME)).toEqual({
      state: 'none',
      reason: null,
    });
  });

  it('reason is idle when the idle deadline comes first', () => {
    expect(expiryWarning(IDLE_FIRST, deadline - 10)).toEqual({
      state: 'soon',
      reason: 'idle',
    });
    expect(expiryWarning(IDLE_FIRST, deadline)).toEqual({
      state: 'now',
      reason: 'idle',
    });
  });

  it('reason is absolute when the absolute deadline comes first', () => {
    expect(expiryWarning(ABS_FIRST, ABS_FIRST.absoluteExpiresAt - 10)).toEqual({
      state: 'soon',
      reason: 'absolute',
    });
  });

  it('reason is absolute when both deadlines coincide', () => {
    expect(expiryWarning(EQUAL, EQUAL.idleExpiresAt - 10)).toEqual({
      state: 'soon',
      reason: 'absolute',
    });
    expect(expiryWarning(EQUAL, EQUAL.idleExpiresAt)).toEqual({
      state: 'now',
      reason: 'absolute',
    });
  });

  it('uses the given window', () => {
    expect(expiryWarning(IDLE_FIRST, deadline - 600, 600).state).toBe('soon');
    expect(expiryWarning(IDLE_FIRST, deadline - 601, 600).state).toBe('none');
  });

  it('a zero window never says soon', () => {
    expect(expiryWarning(IDLE_FIRST, deadline - 1, 0).state).toBe('none');
    expect(expiryWarning(IDLE_FIRST, deadline, 0).state).toBe('now');
  });

  it.each([-1, Number.NaN])('rejects the window %p', (w) => {
    expect(() => expiryWarning(IDLE_FIRST, AUTH_TIME, w)).toThrow(RangeError);
  });

  const rank = (s: ExpiryWarning) => EXPIRY_WARNING_STATES.indexOf(s);

  it('property: never gets calmer as time passes; reason is null exactly when state is none', () => {
    fc.assert(
      fc.property(
        snapshotArb,
        fc.nat({ max: 100 * 24 * HOUR }),
        fc.nat({ max: 100 * 24 * HOUR }),
        fc.nat({ max: 100 * 24 * HOUR }),
        fc.nat({ max: 2 * HOUR }),
        (snap, activity, nowOffset, later, window) => {
          const d = computeDeadlines(snap, snap.authTime + activity);
          const now = snap.authTime + nowOffset;
          const a = expiryWarning(d, now, window);
          const b = expiryWarning(d, now + later, window);
          expect(rank(b.state)).toBeGreaterThanOrEqual(rank(a.state));
          expect(a.reason === null).toBe(a.state === 'none');
        },
      ),
    );
  });

  it('property: state follows the time left before the earliest deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.nat({ max: 600 }),
        (idle, abs, now, window) => {
          const d = { idleExpiresAt: idle, absoluteExpiresAt: abs };
          const left = Math.min(idle, abs) - now;
          const expected: ExpiryWarning = left <= 0 ? 'now' : left <= window ? 'soon' : 'none';
          const w = expiryWarning(d, now, window);
          expect(w.state).toBe(expected);
          if (w.reason !== null) {
            expect(w.reason).toBe(abs <= idle ? 'absolute' : 'idle');
          }
        },
      ),
    );
  });
});
