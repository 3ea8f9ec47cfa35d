import Fastify, { type FastifyInstance } from 'fastify';
import type { BlockList } from 'node:net';
import { registerClientInfoHook } from './client-info.hook';
import { clientIpOf, normalizeIp, parseTrustedProxies, trustProxyOption } from './client-ip';

/** Fastify with our `trustProxy` and client-info hook, as app.factory builds it; answers the resolved address. */
async function echoApp(proxies: BlockList | null): Promise<FastifyInstance> {
  const trust = trustProxyOption(proxies);
  const app = Fastify({ trustProxy: trust });
  registerClientInfoHook(app, trust);
  app.get('/', async (request) => ({ ip: (request as unknown as { client: { ip: string | null } }).client.ip }));
  await app.ready();
  return app;
}

async function resolveVia(
  app: FastifyInstance,
  remoteAddress: string,
  forwardedFor: string | string[] | undefined,
): Promise<string | null> {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  const response = await app.inject({ method: 'GET', url: '/', remoteAddress, headers });
  return (response.json() as { ip: string | null }).ip;
}

describe('normalizeIp', () => {
  it.each<[string | null | undefined, string | null]>([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['0:0:0:0:0:ffff:cb00:7107', '203.0.113.7'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['', null],
    ['localhost', null],
    ['203.0.113.7:8080', null],
    ['203.0.113', null],
    ['01.2.3.4', null],
    ['1'.repeat(100), null],
    [null, null],
    [undefined, null],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });
});

describe('parseTrustedProxies', () => {
  it.each<[string | undefined]>([[undefined], [''], ['  '], [' , ,']])('trusts nobody for %j', (value) => {
    expect(parseTrustedProxies(value)).toBeNull();
  });

  it.each<[string, string, boolean]>([
    ['10.0.0.1', '10.0.0.1', true],
    ['10.0.0.1', '10.0.0.2', false],
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    [' 127.0.0.1 , 172.16.0.0/12 ', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['0.0.0.0/0', '198.51.100.1', true],
    ['::1', '::1', true],
    ['fd00::/8', 'fd12:3456::1', true],
    ['fd00::/8', 'fe80::1', false],
    ['2001:DB8::/32', '2001:db8:ffff::1', true],
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    ['10.0.0.0/8', '2001:db8::1', false],
    ['10.0.0.0/8,', '10.0.0.1', true],
  ])('%j contains %s: %s', (value, address, expected) => {
    const list = parseTrustedProxies(value);
    expect(list).not.toBeNull();
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    expect(list?.check(address, family)).toBe(expected);
  });

  it.each<[string, string]>([
    ['localhost', 'localhost'],
    ['10.0.0.1, proxy.internal', 'proxy.internal'],
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['2001:db8::/129', '2001:db8::/129'],
    ['10.0.0.0/', '10.0.0.0/'],
    ['10.0.0.0/8/8', '10.0.0.0/8/8'],
    ['10.0.0.0/0x8', '10.0.0.0/0x8'],
    ['10.0.0.0/-1', '10.0.0.0/-1'],
    ['10.0.0/8', '10.0.0/8'],
    ['/8', '/8'],
    ['256.0.0.1', '256.0.0.1'],
  ])('rejects %j', (value, badEntry) => {
    expect(() => parseTrustedProxies(value)).toThrow(new Error(`TRUSTED_PROXIES: '${badEntry}' is not an IP address or CIDR`));
  });
});

describe('client address through trustProxy', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8, 127.0.0.1, fd00::/8');
  let app: FastifyInstance;
  let trustNobody: FastifyInstance;
  beforeAll(async () => {
    app = await echoApp(proxies);
    trustNobody = await echoApp(null);
  });
  afterAll(async () => {
    await app.close();
    await trustNobody.close();
  });

  it.each<[string, string, string | string[] | undefined, string | null]>([
    ['no header: the peer', '198.51.100.20', undefined, '198.51.100.20'],
    ['untrusted peer: the header is ignored', '198.51.100.20', '203.0.113.7', '198.51.100.20'],
    ['trusted peer: the forwarded client', '10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['skips trusted hops right to left', '10.0.0.5', '203.0.113.7, 127.0.0.1, 10.1.1.1', '203.0.113.7'],
    ['stops at the first untrusted hop (left of it can be forged)', '10.0.0.5', '1.1.1.1, 203.0.113.7, 10.1.1.1', '203.0.113.7'],
    ['a forged hop left of the client is not used', '10.0.0.5', 'garbage, 203.0.113.7', '203.0.113.7'],
    ['all hops trusted: the left-most one', '10.0.0.5', '10.9.9.9, 10.1.1.1', '10.9.9.9'],
    ['trusted peer without header: the peer', '10.0.0.5', undefined, '10.0.0.5'],
    ['trusted peer, empty header: the peer', '10.0.0.5', '', '10.0.0.5'],
    ['repeated headers form one list', '10.0.0.5', ['203.0.113.7', '10.1.1.1'], '203.0.113.7'],
    ['IPv4-mapped peer and hops', '::ffff:10.0.0.5', '::ffff:203.0.113.7', '203.0.113.7'],
    ['IPv6 proxy and client', 'fd00::1', '2001:DB8::7', '2001:db8::7'],
    ['IPv4 hop with port', '10.0.0.5', '203.0.113.7:51234', '203.0.113.7'],
    ['bracketed IPv6 hop with port', '10.0.0.5', '[2001:db8::7]:443', '2001:db8::7'],
    ['bracketed IPv6 hop', '10.0.0.5', '[2001:db8::7]', '2001:db8::7'],
    ['invalid hop where the walk stops', '10.0.0.5', 'unknown', null],
    ['empty hop where the walk stops', '10.0.0.5', '203.0.113.7, ', null],
    ['obfuscated hop (RFC 7239 style)', '10.0.0.5', '_hidden', null],
    ['over-long hop', '10.0.0.5', '1'.repeat(200), null],
    ['whitespace-only header from a trusted peer', '10.0.0.5', '  ', null],
    ['empty hop left of the client is not reached', '10.0.0.5', '1.1.1.1,, 203.0.113.7, 10.1.1.1', '203.0.113.7'],
    ['empty hop reached when every hop is trusted', '10.0.0.5', ', 10.9.9.9', null],
    ['trusted hop with port', '10.0.0.5', '203.0.113.7, 10.1.1.1:8080', '203.0.113.7'],
    ['invalid peer', 'not-an-ip', '203.0.113.7', null],
  ])('%s', async (_name, remoteAddress, forwardedFor, expected) => {
    expect(await resolveVia(app, remoteAddress as string, forwardedFor)).toBe(expected);
  });

  it('no peer address: unknown', () => {
    // What Fastify resolves for a socket without an address (inject cannot make one): the walk stops at once.
    const trust = trustProxyOption(proxies);
    expect(
      clientIpOf({ ip: undefined, ips: [undefined as unknown as string], headers: { 'x-forwarded-for': '203.0.113.7' } }, trust),
    ).toBeNull();
    expect(clientIpOf({ ip: undefined, headers: {} }, false)).toBeNull();
  });

  it('ignores the header when no proxy is trusted', async () => {
    expect(await resolveVia(trustNobody, '10.0.0.5', '203.0.113.7')).toBe('10.0.0.5');
    expect(await resolveVia(trustNobody, '::ffff:10.0.0.5', undefined)).toBe('10.0.0.5');
  });

  it('never returns more than 45 characters', async () => {
    const longest = 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255';
    const result = await resolveVia(app, '10.0.0.5', longest);
    expect(result).not.toBeNull();
    expect(result?.length).toBeLessThanOrEqual(45);
  });
});
