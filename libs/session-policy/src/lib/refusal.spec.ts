import fc from 'fast-check';
import { snapshotArb } from '../testing/arbitraries';
import { AUTH_TIME, snapshotWith } from '../testing/builders';
import { computeDeadlines } from './deadlines';
import { REFRESH_REFUSALS, classifyExpiry, isRefreshRefusal } from './refusal';

const DAY = 24 * 60 * 60;

describe('REFRESH_REFUSALS', () => {
  it('are the contract codes of a refused refresh', () => {
    expect(REFRESH_REFUSALS).toEqual(['invalid_refresh_token', 'session_expired_idle', 'session_expired_absolute']);
  });
});

describe('isRefreshRefusal', () => {
  it.each(REFRESH_REFUSALS)('accepts %s', (code) => {
    expect(isRefreshRefusal(code)).toBe(true);
  });

  it.each(['unauthenticated', 'session_expired', '', null, undefined, 401])('rejects %p', (code) => {
    expect(isRefreshRefusal(code)).toBe(false);
  });
});

describe('classifyExpiry', () => {
  const s = snapshotWith(); // 3 days idle, 14 days absolute from AUTH_TIME
  const ABS = AUTH_TIME + 14 * DAY;

  it('is null for a fresh token', () => {
    expect(classifyExpiry(s, AUTH_TIME, AUTH_TIME)).toBeNull();
  });

  it('is null one second before the idle deadline', () => {
    expect(classifyExpiry(s, AUTH_TIME, AUTH_TIME + 3 * DAY - 1)).toBeNull();
  });

  it('is idle exactly at the idle deadline (the boundary is expired)', () => {
    expect(classifyExpiry(s, AUTH_TIME, AUTH_TIME + 3 * DAY)).toBe('session_expired_idle');
  });

  it('measures idle from the token issue time, not the sign-in', () => {
    const iat = AUTH_TIME + 5 * DAY;
    expect(classifyExpiry(s, iat, iat + 3 * DAY - 1)).toBeNull();
    expect(classifyExpiry(s, iat, iat + 3 * DAY)).toBe('session_expired_idle');
  });

  it('is null one second before the absolute deadline with recent activity', () => {
    expect(classifyExpiry(s, ABS - 60, ABS - 1)).toBeNull();
  });

  it('is absolute exactly at the absolute deadline', () => {
    expect(classifyExpiry(s, ABS - 60, ABS)).toBe('session_expired_absolute');
  });

  it('absolute wins when both deadlines have passed', () => {
    expect(classifyExpiry(s, AUTH_TIME, ABS + DAY)).toBe('session_expired_absolute');
  });

  it('absolute wins when both deadlines fall on the same second', () => {
    const iat = ABS - 3 * DAY;
    expect(classifyExpiry(s, iat, ABS)).toBe('session_expired_absolute');
  });

  it('property: absolute whenever now ≥ authTime + absMax, whatever the token', () => {
    fc.assert(
      fc.property(snapshotArb, fc.nat({ max: 400 * DAY }), fc.nat({ max: 400 * DAY }), (snap, iatOffset, pastAbs) => {
        const now = snap.authTime + snap.absMaxSeconds + pastAbs;
        expect(classifyExpiry(snap, snap.authTime + iatOffset, now)).toBe('session_expired_absolute');
      }),
    );
  });

  it('property: agrees with computeDeadlines (expired iff past the capped idle deadline; absolute iff past the absolute one)', () => {
    fc.assert(
      fc.property(snapshotArb, fc.nat({ max: 200 * DAY }), fc.nat({ max: 200 * DAY }), (snap, iatOffset, nowOffset) => {
        const iat = snap.authTime + iatOffset;
        const now = iat + nowOffset;
        const d = computeDeadlines(snap, iat);
        const result = classifyExpiry(snap, iat, now);
        expect(result !== null).toBe(now >= d.idleExpiresAt);
        expect(result === 'session_expired_absolute').toBe(now >= d.absoluteExpiresAt);
      }),
    );
  });

  it('property: once expired, a session stays expired later', () => {
    fc.assert(
      fc.property(
        snapshotArb,
        fc.nat({ max: 200 * DAY }),
        fc.nat({ max: 200 * DAY }),
        fc.nat({ max: 200 * DAY }),
        (snap, iatOffset, nowOffset, later) => {
          const iat = snap.authTime + iatOffset;
          const now = iat + nowOffset;
          const first = classifyExpiry(snap, iat, now);
          const second = classifyExpiry(snap, iat, now + later);
          if (first !== null) {
            expect(second).not.toBeNull();
          }
          if (first === 'session_expired_absolute') {
            expect(second).toBe('session_expired_absolute');
          }
        },
      ),
    );
  });
});
