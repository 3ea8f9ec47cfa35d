import { BlockList, SocketAddress, isIP } from 'node:net';

/**
 * Longest textual IP address: a full IPv6 address with an embedded IPv4 tail
 * ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"). Also the column limit.
 */
export const MAX_IP_LENGTH = 45;

const IPV4_MAPPED_PREFIX = '::ffff:';

/**
 * Validates one address and returns it in one canonical spelling, so that the
 * same client is stored, compared and looked up the same way every time:
 * lower-case compressed IPv6, no zone id, and IPv4-mapped IPv6
 * ("::ffff:1.2.3.4", how dual-stack sockets report IPv4 peers) as plain IPv4.
 * Returns null for anything that is not an IP address.
 */
export function normalizeIp(value: string | null | undefined): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  const candidate = value.trim();
  // Cheap bound before any parsing; a zone id ("%eth0") may add a few chars.
  if (candidate === '' || candidate.length > MAX_IP_LENGTH + 20) {
    return null;
  }
  const family = isIP(candidate);
  if (family === 4) {
    return candidate;
  }
  if (family !== 6) {
    return null;
  }
  // SocketAddress runs the address through inet_pton/inet_ntop: this yields
  // the canonical form, drops the zone id and prints mapped IPv4 as dotted.
  const canonical = new SocketAddress({ address: candidate, family: 'ipv6' }).address;
  if (canonical.startsWith(IPV4_MAPPED_PREFIX)) {
    const ipv4 = canonical.slice(IPV4_MAPPED_PREFIX.length);
    if (isIP(ipv4) === 4) {
      return ipv4;
    }
  }
  return canonical.length <= MAX_IP_LENGTH ? canonical : null;
}

/** Fastify's `trustProxy` option: a hop is trusted when it is an address in TRUSTED_PROXIES. */
export type TrustProxy = false | ((address: string | undefined, hop: number) => boolean);

/**
 * The `trustProxy` option for Fastify from `TRUSTED_PROXIES` (null: trust nobody).
 *
 * `X-Forwarded-For` is only believed when the direct peer is a trusted proxy:
 * anyone else can write whatever they like in it. Fastify (proxy-addr) walks the
 * chain right to left (each proxy appends the address it received the request
 * from), skipping trusted hops; the first untrusted address is the client. If
 * every hop is trusted, the left-most one is the best we know. Hops are compared
 * in canonical form, and a port some proxies append ("203.0.113.7:51234",
 * "[2001:db8::1]:443") is not part of who the client is.
 */
export function trustProxyOption(trustedProxies: BlockList | null): TrustProxy {
  if (trustedProxies === null) {
    return false;
  }
  return (address) => {
    const ip = normalizeIp(stripPort(address ?? ''));
    return ip !== null && isTrusted(ip, trustedProxies);
  };
}

/** What {@link clientIpOf} reads: Fastify's request with `ip`/`ips` resolved by `trustProxy`. */
export interface ProxiedRequest {
  ip: string | undefined;
  /** Peer first, then the hops Fastify walked; undefined when no proxy is trusted. */
  ips?: string[];
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * The address of the client that made the request, from what Fastify's
 * `trustProxy` resolved, in canonical form.
 *
 * Returns null when the address the walk stops at is not a valid IP: a trusted
 * proxy that forwards garbage leaves us not knowing the client, and guessing
 * (the proxy's own address, or a hop further left that anyone can forge)
 * would record a wrong address. proxy-addr skips empty list entries; an empty
 * entry the walk reaches is garbage from a trusted hop too, so it also yields null.
 */
export function clientIpOf(request: ProxiedRequest, trust: TrustProxy): string | null {
  const ips = request.ips;
  if (trust === false || ips === undefined || ips.length === 0) {
    return normalizeIp(request.ip);
  }
  if (reachesEmptyHop(request.headers['x-forwarded-for'], ips, trust)) {
    return null;
  }
  return normalizeIp(stripPort(ips[ips.length - 1] ?? ''));
}

/** Whether the right-to-left walk that produced `ips` passed an empty `X-Forwarded-For` entry. */
function reachesEmptyHop(header: string | string[] | undefined, ips: string[], trust: (address: string, hop: number) => boolean): boolean {
  const joined = Array.isArray(header) ? header.join(',') : header;
  if (joined === undefined || joined === '' || !trust(ips[0], 0)) {
    return false;
  }
  const entries = joined.split(',');
  const stop = ips[ips.length - 1];
  // Walked everything when the last address Fastify kept is itself trusted.
  const walkedAll = trust(stop, ips.length - 1);
  let visited = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!walkedAll && visited === ips.length - 1) {
      return false;
    }
    if (entries[i].trim() === '') {
      return true;
    }
    visited++;
  }
  return false;
}

/**
 * Parses `TRUSTED_PROXIES`: a comma-separated list of IPv4/IPv6 addresses and
 * CIDR ranges. Returns null when the value is unset or empty (trust nobody,
 * ignore `X-Forwarded-For`). Throws on a bad entry so that a typo fails at
 * startup instead of silently trusting nobody, or everybody.
 */
export function parseTrustedProxies(value: string | undefined): BlockList | null {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    return null;
  }

  const list = new BlockList();
  for (const entry of entries) {
    if (!addTrustedEntry(list, entry)) {
      throw new Error(`TRUSTED_PROXIES: '${entry}' is not an IP address or CIDR`);
    }
  }
  return list;
}

function addTrustedEntry(list: BlockList, entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = normalizeIp(slash === -1 ? entry : entry.slice(0, slash));
  if (address === null) {
    return false;
  }
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) {
    list.addAddress(address, family);
    return true;
  }

  const prefixText = entry.slice(slash + 1);
  const maxPrefix = family === 'ipv4' ? 32 : 128;
  // Digits only: Number() would accept "", " 8", "0x8" or "1e1".
  if (!/^\d{1,3}$/.test(prefixText)) {
    return false;
  }
  let prefix = Number(prefixText);
  // "::ffff:10.0.0.0/104" was normalized to IPv4 above; shift its prefix too.
  if (family === 'ipv4' && isIP(entry.slice(0, slash)) === 6) {
    prefix -= 96;
  }
  if (prefix < 0 || prefix > maxPrefix) {
    return false;
  }
  list.addSubnet(address, prefix, family);
  return true;
}

function isTrusted(address: string, trustedProxies: BlockList): boolean {
  return trustedProxies.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Some proxies (Azure Application Gateway, for one) append the client port:
 * "203.0.113.7:51234" or "[2001:db8::1]:443". The port is not part of who the
 * client is.
 */
function stripPort(hop: string): string {
  const value = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed !== null) {
    return bracketed[1];
  }
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  return ipv4WithPort === null ? value : ipv4WithPort[1];
}
