import { Test } from '@nestjs/testing';
import { GEO_IP_CACHE_SIZE, GeoIpService } from './geo-ip.service';

describe('GeoIpService', () => {
  let sut: GeoIpService;

  // The databases are loaded once for this file and shared by every instance.
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [GeoIpService],
    }).compile();
    await moduleRef.init();
    sut = moduleRef.get(GeoIpService);
    await sut.ready();
  });

  // Locations checked against the bundled DB-IP City Lite (2026-06) file.
  // Only the country is pinned: cities move between monthly releases.
  it.each<[string, string, string]>([
    // Google Public DNS; currently Mountain View, California.
    ['public IPv4', '8.8.8.8', 'US'],
    // Apple's 17.0.0.0/8; currently Cupertino, California.
    ['public IPv4', '17.0.0.1', 'US'],
    // Cloudflare DNS; currently Sydney, New South Wales.
    ['public IPv4', '1.1.1.1', 'AU'],
    // The IPv6 file has no record for mapped addresses: this needs the IPv4 one.
    ['IPv4-mapped IPv6', '::ffff:8.8.8.8', 'US'],
    // Apple; currently Cupertino, California.
    ['public IPv6', '2620:149:af0::10', 'US'],
    // RIPE NCC; currently Amsterdam, North Holland.
    ['public IPv6', '2001:67c:2e8:22::c100:68b', 'NL'],
    ['public IPv6 in upper case', '2620:149:AF0::10', 'US'],
  ])('%s %s is in %s', (_kind, ip, country) => {
    const location = sut.lookup(ip);
    expect(location?.country).toBe(country);
    expect(location?.region).toMatch(/\S/);
    expect(location?.city).toMatch(/\S/);
  });

  it('locates Google Public DNS over IPv6 (anycast: any country will do)', () => {
    // DB-IP currently puts 2001:4860:4860::8888 in Montreal, Quebec, CA.
    expect(sut.lookup('2001:4860:4860::8888')?.country).toMatch(/^[A-Z]{2}$/);
  });

  it.each<[string, string | null | undefined]>([
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.20.0.1'],
    ['private 192.168/16', '192.168.1.10'],
    ['loopback', '127.0.0.1'],
    ['IPv4 link-local', '169.254.169.254'],
    ['CGNAT', '100.64.0.1'],
    ['unspecified IPv4', '0.0.0.0'],
    ['documentation IPv4', '203.0.113.7'],
    ['multicast IPv4', '224.0.0.251'],
    ['broadcast', '255.255.255.255'],
    ['mapped private IPv4', '::ffff:192.168.1.10'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 link-local with zone', 'fe80::1%eth0'],
    ['IPv6 unique local', 'fd12:3456:789a::1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['no record (NAT64 well-known prefix)', '64:ff9b::808:808'],
    ['garbage', 'not-an-ip'],
    ['IPv4 with port', '8.8.8.8:53'],
    ['out-of-range octet', '8.8.8.256'],
    ['empty', ''],
    ['null', null],
    ['undefined', undefined],
  ])('%s (%j) has no location', (_kind, ip) => {
    expect(sut.lookup(ip)).toBeNull();
  });

  it('shares the loaded databases with every other instance', async () => {
    const other = await Test.createTestingModule({
      providers: [GeoIpService],
    }).compile();
    // No init, no ready(): the data loaded in beforeAll is already there.
    expect(other.get(GeoIpService).lookup('8.8.8.8')).toMatchObject({
      country: 'US',
    });
  });

  it('answers a repeated address the same from its cache, frozen', () => {
    const first = sut.lookup('8.8.8.8');
    const again = sut.lookup('8.8.8.8');

    expect(again).toEqual(first);
    expect(again?.country).toBe('US');
    expect(Object.isFrozen(again)).toBe(true);
    expect(sut.lookup('  8.8.8.8 ')).toEqual(first);
    expect(sut.lookup('10.1.2.3')).toBeNull();
    expect(sut.lookup('10.1.2.3')).toBeNull();
  });

  it('keeps at most GEO_IP_CACHE_SIZE addresses, and answers evicted ones the same again', () => {
    const fresh = new GeoIpService();
    const apple = fresh.lookup('17.0.0.1');
    for (let i = 0; i < GEO_IP_CACHE_SIZE + 100; i++) {
      fresh.lookup(`81.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    }

    expect(fresh.cachedAddressCount()).toBe(GEO_IP_CACHE_SIZE);
    expect(fresh.lookup('17.0.0.1')).toEqual(apple);
  });

  it('does not cache an address longer than any IP (hostile input)', () => {
    const fresh = new GeoIpService();
    // Still answered as before (normalizeIp trims), only not kept.
    expect(fresh.lookup(`${' '.repeat(80)}8.8.8.8`)?.country).toBe('US');
    expect(fresh.lookup('x'.repeat(10_000))).toBeNull();
    expect(fresh.cachedAddressCount()).toBe(0);
  });

  it('answers lookups without I/O, fast enough for the request path', () => {
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) {
      sut.lookup(`8.8.${i & 255}.${(i >> 8) & 255}`);
    }
    // ~3 µs each on a laptop; the bound only catches accidental I/O.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('GeoIpService before and without its data', () => {
  interface Isolated {
    service: GeoIpService;
    loggedErrors: jest.SpyInstance;
  }

  // A fresh copy of the module (its own, empty singleton), with the file
  // reads replaced, so that nothing here touches the 130 MB files.
  async function isolatedService(readFile: jest.Mock): Promise<Isolated> {
    let isolated: Isolated | undefined;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('node:fs/promises', () => ({ readFile }));
      const { Logger } = await import('@nestjs/common');
      const loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const { GeoIpService: FreshGeoIpService } = await import('./geo-ip.service');
      isolated = { service: new FreshGeoIpService(), loggedErrors };
    });
    if (isolated === undefined) {
      throw new Error('module did not load');
    }
    return isolated;
  }

  afterEach(() => {
    jest.dontMock('node:fs/promises');
    jest.restoreAllMocks();
  });

  it('answers null until the data is loaded', async () => {
    const readFile = jest.fn(() => new Promise<Buffer>(() => undefined));
    const { service } = await isolatedService(readFile);

    service.onModuleInit();

    expect(readFile).toHaveBeenCalledTimes(2);
    expect(service.lookup('8.8.8.8')).toBeNull();
  });

  it('does not fail startup when the files cannot be read, and retries later', async () => {
    const readFile = jest.fn(() => Promise.reject(new Error('ENOENT: no such file')));
    const { service, loggedErrors } = await isolatedService(readFile);

    expect(() => service.onModuleInit()).not.toThrow();
    // Joins the attempt onModuleInit started...
    await expect(service.ready()).rejects.toThrow('ENOENT');
    expect(readFile).toHaveBeenCalledTimes(2);
    expect(loggedErrors).toHaveBeenCalledWith(expect.stringContaining('IP geolocation disabled'));
    expect(service.lookup('8.8.8.8')).toBeNull();

    // ...and a failed attempt is not cached: the next call reads again.
    await expect(service.ready()).rejects.toThrow('ENOENT');
    expect(readFile).toHaveBeenCalledTimes(4);
  });
});
