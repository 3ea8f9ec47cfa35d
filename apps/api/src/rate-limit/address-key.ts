/**
 * The key a client address is limited under. One IPv6 host usually holds a whole
 * /64 (SLAAC, privacy addresses), so limiting per /128 would give an attacker 2^64
 * fresh addresses: IPv6 is keyed by its /64. IPv4 is keyed as is. Clients whose
 * address is unknown (a trusted proxy forwarded garbage) share one key.
 *
 * Expects the canonical spelling from `normalizeIp` (the client-info hook).
 */
export function addressKey(ip: string | null): string {
  if (ip === null) return 'unknown';
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}
