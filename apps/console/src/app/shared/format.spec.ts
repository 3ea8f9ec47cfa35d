import { dateTime, humanDuration, relativeTime } from './format';

describe('format', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  describe('relativeTime', () => {
    it('reads like a person at each step', () => {
      expect(relativeTime(ago(59_000), now)).toBe('just now');
      expect(relativeTime(ago(60_000), now)).toBe('1 min ago');
      expect(relativeTime(ago(59 * 60_000), now)).toBe('59 min ago');
      expect(relativeTime(ago(60 * 60_000), now)).toBe('1 h ago');
      expect(relativeTime(ago(25 * 3600_000), now)).toBe('yesterday');
      expect(relativeTime(ago(29 * 86400_000), now)).toBe('29 days ago');
    });

    it('gives a date after a month', () => {
      expect(relativeTime('2026-01-02T00:00:00Z', now)).toMatch(/2026/);
    });

    it('says "just now" for a time slightly in the future (clock skew), never "-1 min ago"', () => {
      expect(relativeTime(new Date(now + 90_000).toISOString(), now)).toBe('just now');
    });

    it('is empty for a value that is not a date', () => {
      expect(relativeTime('yesterday-ish', now)).toBe('');
    });
  });

  describe('humanDuration', () => {
    it.each([
      [0, '0 minutes'],
      [1, '1 minute'],
      [15, '15 minutes'],
      [60, '1 hour'],
      [90, '1 hour 30 minutes'],
      [1440, '1 day'],
      [2000, '1 day 9 hours'],
      [4320, '3 days'],
      [20160, '14 days'],
      [1501, '1 day 1 hour'],
    ])('%d minutes is "%s" (at most two units)', (minutes, text) => {
      expect(humanDuration(minutes)).toBe(text);
    });

    it('is empty for negative or non-finite input', () => {
      expect(humanDuration(-1)).toBe('');
      expect(humanDuration(Number.NaN)).toBe('');
      expect(humanDuration(Number.POSITIVE_INFINITY)).toBe('');
    });
  });

  it('dateTime is empty for missing or invalid dates', () => {
    expect(dateTime(null)).toBe('');
    expect(dateTime(undefined)).toBe('');
    expect(dateTime('not a date')).toBe('');
    expect(dateTime('2026-11-25T12:00:00Z')).toMatch(/2026/);
  });
});
