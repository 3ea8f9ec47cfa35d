const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * "just now", "5 min ago", "2 h ago", "yesterday", "3 days ago", then a date:
 * short enough for a device row, exact enough to spot a stale session.
 */
export function relativeTime(iso: string, nowMs: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return '';
  }
  const ago = Math.max(0, nowMs - then);
  if (ago < MINUTE) {
    return 'just now';
  }
  if (ago < HOUR) {
    return `${Math.floor(ago / MINUTE)} min ago`;
  }
  if (ago < DAY) {
    return `${Math.floor(ago / HOUR)} h ago`;
  }
  const days = Math.floor(ago / DAY);
  if (days === 1) {
    return 'yesterday';
  }
  if (days < 30) {
    return `${days} days ago`;
  }
  return new Date(then).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/**
 * A duration in minutes as people say it, with at most two units:
 * 15 → "15 minutes", 90 → "1 hour 30 minutes", 4320 → "3 days",
 * 20160 → "14 days", 2000 → "1 day 9 hours".
 */
export function humanDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) {
    return '';
  }
  const whole = Math.round(minutes);
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  const parts = [
    days > 0 ? plural(days, 'day') : null,
    hours > 0 ? plural(hours, 'hour') : null,
    mins > 0 ? plural(mins, 'minute') : null,
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? '0 minutes' : parts.slice(0, 2).join(' ');
}

/** A full local date and time, for tooltips and tables. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
