import fc from 'fast-check';
import { effectivePolicyArb, snapshotArb, unixTimeArb } from '../testing/arbitraries';
import { AUTH_TIME, snapshotWith } from '../testing/builders';
import { computeDeadlines, snapshotPolicy, tightenSnapshot } from './deadlines';

const MIN = 60;
const DAY = 24 * 60 * MIN;

describe('snapshotPolicy', () => {
  it('converts minutes to seconds and keeps the sign-in time', () => {
    expect(snapshotPolicy(AUTH_TIME, { idleMinutes: 4320, absoluteMinutes: 20160 })).toEqual({
      authTime: AUTH_TIME,
      idleMaxSeconds: 3 * DAY,
      absMaxSeconds: 14 * DAY,
    });
  });

  it('converts the smallest bounds exactly', () => {
    expect(snapshotPolicy(0, { idleMinutes: 15, absoluteMinutes: 60 })).toEqual({
      authTime: 0,
      idleMaxSeconds: 900,
      absMaxSeconds: 3600,
    });
  });
});

describe('tightenSnapshot', () => {
  const s = snapshotWith(); // 3 days idle, 14 days absolute

  it('lowers both maxes to a tighter current policy', () => {
    expect(tightenSnapshot(s, { idleMinutes: 15, absoluteMinutes: 60 })).toEqual({
      authTime: AUTH_TIME,
      idleMaxSeconds: 15 * MIN,
      absMaxSeconds: 60 * MIN,
    });
  });

  it('ignores a looser current policy (applies from the next sign-in)', () => {
    expect(tightenSnapshot(s, { idleMinutes: 10080, absoluteMinutes: 43200 })).toEqual(s);
  });

  it('tightens each max on its own (tighter idle, looser absolute)', () => {
    expect(tightenSnapshot(s, { idleMinutes: 60, absoluteMinutes: 43200 })).toEqual({
      ...s,
      idleMaxSeconds: 60 * MIN,
    });
  });

  it('tightens each max on its own (looser idle, tighter absolute)', () => {
    expect(tightenSnapshot(s, { idleMinutes: 43200, absoluteMinutes: 1440 })).toEqual({
      ...s,
      absMaxSeconds: DAY,
    });
  });

  it('changes nothing for the same policy', () => {
    expect(tightenSnapshot(s, { idleMinutes: 4320, absoluteMinutes: 20160 })).toEqual(s);
  });

  it('does not mutate the snapshot', () => {
    const copy = { ...s };
    tightenSnapshot(s, { idleMinutes: 15, absoluteMinutes: 60 });
    expect(s).toEqual(copy);
  });

  it('property: never increases a max, never changes authTime, never exceeds the current policy', () => {
    fc.assert(
      fc.property(snapshotArb, effectivePolicyArb, (snap, current) => {
        const t = tightenSnapshot(snap, current);
        expect(t.authTime).toBe(snap.authTime);
        expect(t.idleMaxSeconds).toBeLessThanOrEqual(snap.idleMaxSeconds);
        expect(t.absMaxSeconds).toBeLessThanOrEqual(snap.absMaxSeconds);
        expect(t.idleMaxSeconds).toBeLessThanOrEqual(current.idleMinutes * 60);
        expect(t.absMaxSeconds).toBeLessThanOrEqual(current.absoluteMinutes * 60);
        // Each max is one of the two inputs, not some other value.
        expect([snap.idleMaxSeconds, current.idleMinutes * 60]).toContain(t.idleMaxSeconds);
        expect([snap.absMaxSeconds, current.absoluteMinutes * 60]).toContain(t.absMaxSeconds);
      }),
    );
  });

  it('property: idempotent, and repeated refreshes under changing policies only ever tighten', () => {
    fc.assert(
      fc.property(snapshotArb, fc.array(effectivePolicyArb, { minLength: 1, maxLength: 5 }), (snap, policies) => {
        let prev = snap;
        for (const p of policies) {
          const next = tightenSnapshot(prev, p);
          expect(tightenSnapshot(next, p)).toEqual(next);
          expect(next.idleMaxSeconds).toBeLessThanOrEqual(prev.idleMaxSeconds);
          expect(next.absMaxSeconds).toBeLessThanOrEqual(prev.absMaxSeconds);
          expect(next.authTime).toBe(snap.authTime);
          prev = next;
        }
      }),
    );
  });
});

describe('computeDeadlines', () => {
  const s = snapshotWith(); // 3 days idle, 14 days absolute

  it('idle = last activity + idle max; absolute = auth time + absolute max', () => {
    expect(computeDeadlines(s, AUTH_TIME + DAY)).toEqual({
      idleExpiresAt: AUTH_TIME + 4 * DAY,
      absoluteExpiresAt: AUTH_TIME + 14 * DAY,
    });
  });

  it('right after sign-in', () => {
    expect(computeDeadlines(s, AUTH_TIME)).toEqual({
      idleExpiresAt: AUTH_TIME + 3 * DAY,
      absoluteExpiresAt: AUTH_TIME + 14 * DAY,
    });
  });

  it('caps idle at absolute near the end of the session', () => {
    expect(computeDeadlines(s, AUTH_TIME + 12 * DAY)).toEqual({
      idleExpiresAt: AUTH_TIME + 14 * DAY,
      absoluteExpiresAt: AUTH_TIME + 14 * DAY,
    });
  });

  it('idle exactly reaching absolute is not capped differently', () => {
    expect(computeDeadlines(s, AUTH_TIME + 11 * DAY).idleExpiresAt).toBe(AUTH_TIME + 14 * DAY);
    expect(computeDeadlines(s, AUTH_TIME + 11 * DAY - 1).idleExpiresAt).toBe(AUTH_TIME + 14 * DAY - 1);
  });

  it('absolute does not move with activity (rotation never extends it)', () => {
    expect(computeDeadlines(s, AUTH_TIME + 5 * DAY).absoluteExpiresAt).toBe(computeDeadlines(s, AUTH_TIME).absoluteExpiresAt);
  });

  it('property: idle ≤ absolute; absolute = authTime + absMax; idle ≤ lastActivity + idleMax', () => {
    fc.assert(
      fc.property(snapshotArb, fc.nat({ max: 200 * DAY }), (snap, offset) => {
        const last = snap.authTime + offset;
        const d = computeDeadlines(snap, last);
        expect(d.absoluteExpiresAt).toBe(snap.authTime + snap.absMaxSeconds);
        expect(d.idleExpiresAt).toBeLessThanOrEqual(d.absoluteExpiresAt);
        expect(d.idleExpiresAt).toBeLessThanOrEqual(last + snap.idleMaxSeconds);
        expect([d.absoluteExpiresAt, last + snap.idleMaxSeconds]).toContain(d.idleExpiresAt);
      }),
    );
  });

  it('property: monotone in last activity (later activity never moves a deadline earlier)', () => {
    fc.assert(
      fc.property(snapshotArb, unixTimeArb, unixTimeArb, (snap, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const de = computeDeadlines(snap, early);
        const dl = computeDeadlines(snap, late);
        expect(dl.idleExpiresAt).toBeGreaterThanOrEqual(de.idleExpiresAt);
        expect(dl.absoluteExpiresAt).toBe(de.absoluteExpiresAt);
      }),
    );
  });

  it('property: tightening a snapshot never moves a deadline later', () => {
    fc.assert(
      fc.property(snapshotArb, effectivePolicyArb, fc.nat({ max: 200 * DAY }), (snap, current, offset) => {
        const last = snap.authTime + offset;
        const before = computeDeadlines(snap, last);
        const after = computeDeadlines(tightenSnapshot(snap, current), last);
        expect(after.idleExpiresAt).toBeLessThanOrEqual(before.idleExpiresAt);
        expect(after.absoluteExpiresAt).toBeLessThanOrEqual(before.absoluteExpiresAt);
      }),
    );
  });
});
