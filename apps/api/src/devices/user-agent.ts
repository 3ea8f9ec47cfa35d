import { BoundedCache } from './bounded-cache';

/**
 * Turns a raw `User-Agent` header into the human-readable fields of a session
 * (device) item: `device_label`, `browser`, `os` and `device_type`.
 */

/** The subset of ua-parser-js 1.x results this module reads. */
interface UAParserResult {
  browser: { name?: string; version?: string; major?: string };
  os: { name?: string; version?: string };
  device: { type?: string; vendor?: string; model?: string };
}

type UAParserConstructor = new (ua?: string) => {
  getResult(): UAParserResult;
};

// ua-parser-js 1.x ships no type declarations (they arrived in 2.x) and
// @types/ua-parser-js is not installed, so a static `import` fails under
// `noImplicitAny`. A typed `require` keeps strict typing without a `.d.ts`
// shim; webpack still sees the call and keeps the package external.
const { UAParser } = require('ua-parser-js') as {
  UAParser: UAParserConstructor;
};

/** The `device_type` vocabulary of the session (device) item. */
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'unknown'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface DeviceDescription {
  /** e.g. "Chrome on macOS", "Safari on iPhone", "Unknown device". */
  deviceLabel: string;
  /** Browser name and major version, e.g. "Chrome 130". */
  browser: string | null;
  /** OS name and version, e.g. "macOS 10.15". */
  os: string | null;
  deviceType: DeviceType;
}

export const UNKNOWN_DEVICE_LABEL = 'Unknown device';

/**
 * Real browser headers are a few hundred characters; anything longer is noise
 * or an attack on the parser's regular expressions, so it is cut first.
 */
export const MAX_USER_AGENT_LENGTH = 500;

/** Parsed names come from header text; keep them short enough for a UI cell. */
const MAX_PART_LENGTH = 64;

// ua-parser-js distinguishes "Mobile Safari" and friends by platform; the
// label already says where it runs ("Safari on iPhone"), so show the brand.
const BROWSER_NAMES: Readonly<Record<string, string>> = {
  'Mobile Safari': 'Safari',
  'Mobile Chrome': 'Chrome',
  'Mobile Firefox': 'Firefox',
};

// Marketing names users recognise, instead of ua-parser-js's historic ones.
const OS_NAMES: Readonly<Record<string, string>> = {
  'Mac OS': 'macOS',
  'Chromium OS': 'ChromeOS',
};

// ua-parser-js reports no device type for desktops, so a known desktop OS is
// the only signal that separates "desktop" from "could not tell".
const DESKTOP_OS_NAMES: ReadonlySet<string> = new Set([
  'macOS',
  'Windows',
  'Linux',
  'ChromeOS',
  'Ubuntu',
  'Debian',
  'Fedora',
  'Mint',
  'Arch',
  'CentOS',
  'Red Hat',
  'SUSE',
  'openSUSE',
  'Gentoo',
  'Slackware',
  'Mandriva',
  'Manjaro',
  'elementary OS',
  'FreeBSD',
  'OpenBSD',
  'NetBSD',
  'DragonFly',
  'Solaris',
]);

// Apple devices are better known by the device than by the OS ("iOS").
const DEVICE_PLACES: Readonly<Record<string, string>> = {
  iPhone: 'iPhone',
  iPad: 'iPad',
  iPod: 'iPod touch',
};

/**
 * Distinct user agents kept parsed. A device list parses one header per row on every
 * request (50 rows at the session cap) and ua-parser-js costs 15–30 µs a header, while a
 * user's devices, and an account's, repeat the same few browsers. Keys are at most
 * {@link MAX_USER_AGENT_LENGTH} characters, so the cache holds ≤ ~2 MB of text.
 */
export const USER_AGENT_CACHE_SIZE = 2000;

const UNKNOWN_DEVICE: DeviceDescription = Object.freeze(unknownDevice());

const described = new BoundedCache<string, DeviceDescription>(USER_AGENT_CACHE_SIZE);

/**
 * The description of a `User-Agent` header. Answers are shared between callers (frozen):
 * the same header always gets the same answer, parsed once while it stays in the cache.
 */
export function describeUserAgent(ua: string | null | undefined): DeviceDescription {
  const input = (ua ?? '').slice(0, MAX_USER_AGENT_LENGTH).trim();
  if (input === '') {
    return UNKNOWN_DEVICE;
  }
  return described.getOrCompute(input, parse);
}

/** How many parsed user agents are cached (for tests of the bound). */
export function cachedUserAgentCount(): number {
  return described.size;
}

function parse(input: string): DeviceDescription {
  const result = new UAParser(input).getResult();

  const browserName = clean(result.browser.name);
  const shownBrowserName = browserName === null ? null : (BROWSER_NAMES[browserName] ?? browserName);
  const browserMajor = clean(result.browser.major);

  const osName = clean(result.os.name);
  const shownOsName = osName === null ? null : (OS_NAMES[osName] ?? osName);
  const osVersion = majorMinor(clean(result.os.version));

  const model = clean(result.device.model);
  const devicePlace = model !== null && result.device.vendor === 'Apple' ? (DEVICE_PLACES[model] ?? null) : null;

  const browser = joinParts(shownBrowserName, browserMajor);
  const os = joinParts(shownOsName, osVersion);
  const place = devicePlace ?? shownOsName;

  return Object.freeze({
    deviceLabel: makeLabel(shownBrowserName, place),
    browser,
    os,
    deviceType: toDeviceType(result.device.type, shownOsName),
  });
}

function unknownDevice(): DeviceDescription {
  return {
    deviceLabel: UNKNOWN_DEVICE_LABEL,
    browser: null,
    os: null,
    deviceType: 'unknown',
  };
}

function makeLabel(browser: string | null, place: string | null): string {
  if (browser !== null && place !== null) {
    return `${browser} on ${place}`;
  }
  return browser ?? place ?? UNKNOWN_DEVICE_LABEL;
}

function toDeviceType(parsedType: string | undefined, osName: string | null): DeviceType {
  switch (parsedType) {
    case 'mobile':
      return 'mobile';
    case 'tablet':
      return 'tablet';
    case undefined:
      return osName !== null && DESKTOP_OS_NAMES.has(osName) ? 'desktop' : 'unknown';
    default:
      // console, smarttv, wearable, xr, embedded: none of our three kinds.
      return 'unknown';
  }
}

function joinParts(name: string | null, version: string | null): string | null {
  if (name === null) {
    return null;
  }
  return version === null ? name : `${name} ${version}`;
}

/**
 * Patch levels ("10.15.7", "17.6.1") change with every update and would make
 * the same device look different from one sign-in to the next.
 */
function majorMinor(version: string | null): string | null {
  return version === null ? null : version.split('.').slice(0, 2).join('.');
}

function clean(value: string | undefined): string | null {
  const trimmed = value?.trim().slice(0, MAX_PART_LENGTH) ?? '';
  return trimmed === '' ? null : trimmed;
}
