import { randomUUID } from 'node:crypto';
import { GeoIpService } from '../src/devices/geo-ip.service';
import { addMember, decodeJwt, login, refresh, SignedInUser, signupOwner, Tokens } from './builders';
import { createTestApp, HttpResponse, RequestOptions, TestApp } from './test-app';

const MAC_CHROME: Required<Pick<RequestOptions, 'ip' | 'userAgent'>> = {
  ip: '192.168.1.20',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
};
const IPHONE_SAFARI: Required<Pick<RequestOptions, 'ip' | 'userAgent'>> = {
  ip: '8.8.8.8',
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
};
const WINDOWS_FIREFOX: Required<Pick<RequestOptions, 'ip' | 'userAgent'>> = {
  ip: '2620:149:af0::10',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
};

interface SessionItem {
  id: string;
  device_label: string;
  browser: string | null;
  os: string | null;
  device_type: string;
  user_agent: string | null;
  ip: string | null;
  location: { city: string | null; region: string | null; country: string } | null;
  created_at: string;
  last_used_at: string;
  is_current: boolean;
}

interface AuditRow {
  actor_user_id: string;
  resource_type: string;
  resource_id: string;
  details: { session_id: string; by: string; reason: string };
  ip: string | null;
}

const sid = (tokens: Tokens): string => decodeJwt(tokens.access_token)['sid'];

/** The problem `code` of an error answer, whatever the success type of the route. */
const problemCode = (response: HttpResponse<unknown>): unknown => (response.body as { code?: unknown }).code;

describe("devices: where you're signed in (real PostgreSQL, through HTTP)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    // Locations come from an in-memory database that loads in the background.
    await t.app.get(GeoIpService).ready();
  });
  afterAll(() => t.close());

  /** One user signed in from three devices, a minute apart: Mac, then iPhone, then Windows. */
  async function userOnThreeDevices(): Promise<{ user: SignedInUser; mac: Tokens; iphone: Tokens; windows: Tokens }> {
    const user = await signupOwner(t, {}, MAC_CHROME);
    t.clock.advance(60);
    const iphone = await login(t, user.email, user.password, IPHONE_SAFARI);
    t.clock.advance(60);
    const windows = await login(t, user.email, user.password, WINDOWS_FIREFOX);
    return { user, mac: user.tokens, iphone, windows };
  }

  const list = (tokens: Tokens) => t.get<SessionItem[]>('/api/me/sessions', { token: tokens.access_token });

  async function sessionRevokedEvents(accountId: string): Promise<AuditRow[]> {
    return t.db.query(
      `SELECT actor_user_id, resource_type, resource_id, details, ip
         FROM audit_events WHERE account_id = $1 AND action = 'session.revoked' ORDER BY resource_id`,
      [accountId],
    );
  }

  it('lists the three devices of a user with labels and locations, the current one first', async () => {
    const { mac, iphone, windows } = await userOnThreeDevices();
    const signedInAt = (secondsAgo: number) => new Date(t.clock.now().getTime() - secondsAgo * 1000).toISOString();

    const response = await list(iphone);
    expect(response.status).toBe(200);
    // Current (iPhone) first, then by last use: Windows (newest), Mac (oldest).
    expect(response.body.map((item) => item.id)).toEqual([sid(iphone), sid(windows), sid(mac)]);
    const [phone, pc, laptop] = response.body;

    expect(phone).toEqual({
      id: sid(iphone),
      device_label: 'Safari on iPhone',
      browser: 'Safari 17',
      os: 'iOS 17.6',
      device_type: 'mobile',
      user_agent: IPHONE_SAFARI.userAgent,
      ip: '8.8.8.8',
      location: { city: expect.any(String), region: expect.any(String), country: 'US' },
      created_at: signedInAt(60),
      last_used_at: signedInAt(60),
      is_current: true,
    });
    expect(pc).toMatchObject({
      device_label: 'Firefox on Windows',
      browser: 'Firefox 132',
      os: 'Windows 10',
      device_type: 'desktop',
      user_agent: WINDOWS_FIREFOX.userAgent,
      ip: '2620:149:af0::10',
      location: { country: 'US' },
      created_at: signedInAt(0),
      last_used_at: signedInAt(0),
      is_current: false,
    });
    expect(laptop).toMatchObject({
      device_label: 'Chrome on macOS',
      browser: 'Chrome 130',
      os: 'macOS 10.15',
      device_type: 'desktop',
      user_agent: MAC_CHROME.userAgent,
      ip: '192.168.1.20',
      // A private address has no place on the map.
      location: null,
      created_at: signedInAt(120),
      last_used_at: signedInAt(120),
      is_current: false,
    });

    // Whoever asks is the one current session, listed first.
    for (const tokens of [mac, iphone, windows]) {
      const items = (await list(tokens)).body;
      expect(items).toHaveLength(3);
      expect(items.filter((item) => item.is_current).map((item) => item.id)).toEqual([sid(tokens)]);
      expect(items[0].id).toBe(sid(tokens));
    }
  });

  it('a refresh moves last_used_at and records the new address and user agent, keeping the session id', async () => {
    const user = await signupOwner(t, {}, MAC_CHROME);
    const [before] = (await list(user.tokens)).body;
    t.clock.advance(300);

    const refreshed = await refresh(t, user.tokens.refresh_token, WINDOWS_FIREFOX);
    expect(refreshed.status).toBe(200);
    expect(sid(refreshed.body)).toBe(before.id);

    const after = await list(refreshed.body);
    expect(after.body).toHaveLength(1);
    expect(after.body[0]).toMatchObject({
      id: before.id,
      created_at: before.created_at,
      last_used_at: t.clock.now().toISOString(),
      ip: WINDOWS_FIREFOX.ip,
      user_agent: WINDOWS_FIREFOX.userAgent,
      device_label: 'Firefox on Windows',
      location: { country: 'US' },
      is_current: true,
    });
    expect(after.body[0].last_used_at).not.toBe(before.last_used_at);
  });

  it('revoking one device ends only that device and writes one audit row', async () => {
    const { user, mac, iphone, windows } = await userOnThreeDevices();

    const revoked = await t.delete(`/api/me/sessions/${sid(iphone)}`, { token: mac.access_token, ip: '203.0.113.9' });
    expect(revoked.status).toBe(204);

    // The revoked device can neither refresh nor use its access token.
    const iphoneRefresh = await refresh(t, iphone.refresh_token);
    expect(iphoneRefresh.status).toBe(401);
    expect(problemCode(iphoneRefresh)).toBe('invalid_refresh_token');
    const iphoneList = await list(iphone);
    expect(iphoneList.status).toBe(401);
    expect(problemCode(iphoneList)).toBe('unauthenticated');

    // The others keep working.
    expect((await list(mac)).body.map((item) => item.id)).toEqual([sid(mac), sid(windows)]);
    expect((await refresh(t, windows.refresh_token)).status).toBe(200);

    const events = await sessionRevokedEvents(user.accountId);
    expect(events).toEqual([
      {
        actor_user_id: user.id,
        resource_type: 'session',
        resource_id: sid(iphone),
        details: { session_id: sid(iphone), by: 'self', reason: 'device_revoked' },
        ip: '203.0.113.9',
      },
    ]);
    const [row] = await t.db.query('SELECT revoke_reason FROM sessions WHERE id = $1', [sid(iphone)]);
    expect(row.revoke_reason).toBe('device_revoked');

    // Already ended: not found, and no second audit row.
    const again = await t.delete(`/api/me/sessions/${sid(iphone)}`, { token: mac.access_token });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('not_found');
    expect(await sessionRevokedEvents(user.accountId)).toHaveLength(1);
  });

  it('revoking the current device signs the caller out', async () => {
    const user = await signupOwner(t, {}, MAC_CHROME);
    const other = await login(t, user.email, user.password, IPHONE_SAFARI);

    const revoked = await t.delete(`/api/me/sessions/${sid(user.tokens)}`, { token: user.tokens.access_token });
    expect(revoked.status).toBe(204);

    const afterwards = await list(user.tokens);
    expect(afterwards.status).toBe(401);
    expect(problemCode(afterwards)).toBe('unauthenticated');
    expect(problemCode(await refresh(t, user.tokens.refresh_token))).toBe('invalid_refresh_token');
    expect((await list(other)).body.map((item) => item.id)).toEqual([sid(other)]);
  });

  it("never shows or ends another user's sessions, in the same account or another one", async () => {
    const owner = await signupOwner(t, {}, MAC_CHROME);
    const ownerPhone = await login(t, owner.email, owner.password, IPHONE_SAFARI);
    const colleague = await addMember(t, owner, 'admin', WINDOWS_FIREFOX);
    const stranger = await signupOwner(t, {}, WINDOWS_FIREFOX);
    const ownerSessions = [sid(owner.tokens), sid(ownerPhone)];

    for (const intruder of [colleague, stranger]) {
      const seen = await list(intruder.tokens);
      expect(seen.status).toBe(200);
      expect(seen.body.map((item) => item.id)).toEqual([sid(intruder.tokens)]);

      for (const id of ownerSessions) {
        const attempt = await t.delete(`/api/me/sessions/${id}`, { token: intruder.tokens.access_token });
        expect(attempt.status).toBe(404);
        expect(attempt.body.code).toBe('not_found');
      }
      // "Everyone else" means the caller's other devices, not other people.
      const others = await t.post('/api/me/sessions/revoke-others', undefined, { token: intruder.tokens.access_token });
      expect(others.status).toBe(200);
      expect(others.body).toEqual({ revoked_count: 0 });
    }

    const ownerView = await list(owner.tokens);
    expect(ownerView.body.map((item) => item.id)).toEqual(ownerSessions);
    expect((await refresh(t, ownerPhone.refresh_token)).status).toBe(200);
    expect(await sessionRevokedEvents(owner.accountId)).toEqual([]);
    expect(await sessionRevokedEvents(stranger.accountId)).toEqual([]);
  });

  it('revoke-others leaves only the current session and counts what it ended; a second call ends nothing', async () => {
    const { user, mac, iphone, windows } = await userOnThreeDevices();

    const first = await t.post('/api/me/sessions/revoke-others', undefined, { token: windows.access_token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ revoked_count: 2 });

    expect((await list(windows)).body.map((item) => item.id)).toEqual([sid(windows)]);
    for (const ended of [mac, iphone]) {
      expect((await list(ended)).status).toBe(401);
      expect(problemCode(await refresh(t, ended.refresh_token))).toBe('invalid_refresh_token');
    }
    expect((await refresh(t, windows.refresh_token)).status).toBe(200);

    const events = await sessionRevokedEvents(user.accountId);
    expect(events.map((event) => event.details)).toEqual(
      [sid(mac), sid(iphone)].sort().map((id) => ({ session_id: id, by: 'self', reason: 'others_revoked' })),
    );

    const second = await t.post('/api/me/sessions/revoke-others', undefined, { token: windows.access_token });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ revoked_count: 0 });
    expect(await sessionRevokedEvents(user.accountId)).toHaveLength(2);
  });

  it('does not list or revoke a session that has passed its idle deadline', async () => {
    const user = await signupOwner(t, {}, MAC_CHROME);
    const phone = await login(t, user.email, user.password, IPHONE_SAFARI);
    // The phone keeps refreshing; the laptop stays idle past the 3-day default.
    let current = phone;
    for (let day = 0; day < 4; day++) {
      t.clock.advance(24 * 60 * 60);
      const refreshed = await refresh(t, current.refresh_token);
      expect(refreshed.status).toBe(200);
      current = refreshed.body;
    }

    expect((await list(current)).body.map((item) => item.id)).toEqual([sid(phone)]);
    const attempt = await t.delete(`/api/me/sessions/${sid(user.tokens)}`, { token: current.access_token });
    expect(attempt.status).toBe(404);
    expect(await sessionRevokedEvents(user.accountId)).toEqual([]);
  });

  it('documents the three routes and the session item in the OpenAPI document', async () => {
    const { body: document } = await t.get('/api/docs-json');
    const sessions = document.paths['/api/me/sessions'];
    const one = document.paths['/api/me/sessions/{id}'];
    const others = document.paths['/api/me/sessions/revoke-others'];
    expect(sessions.get).toMatchObject({ operationId: 'devicesList', tags: ['devices'], security: expect.any(Array) });
    expect(one.delete).toMatchObject({ operationId: 'devicesRevoke', tags: ['devices'] });
    expect(Object.keys(one.delete.responses).sort()).toEqual(['204', '401', '404', '422']);
    expect(others.post).toMatchObject({ operationId: 'devicesRevokeOthers', tags: ['devices'] });
    expect(Object.keys(others.post.responses).sort()).toEqual(['200', '401']);

    const item = document.components.schemas.SessionDto;
    expect(Object.keys(item.properties).sort()).toEqual([
      'browser',
      'created_at',
      'device_label',
      'device_type',
      'id',
      'ip',
      'is_current',
      'last_used_at',
      'location',
      'os',
      'user_agent',
    ]);
    for (const [name, property] of Object.entries<{ description?: string }>(item.properties)) {
      expect({ name, description: property.description }).toEqual({ name, description: expect.stringMatching(/\S/) });
    }
    expect(document.components.schemas.RevokedCountDto.required).toEqual(['revoked_count']);
  });

  it('answers 422 for a non-uuid id, 404 for an unknown one and 401 without a token', async () => {
    const user = await signupOwner(t);

    const malformed = await t.delete('/api/me/sessions/not-a-uuid', { token: user.tokens.access_token });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'id' }] });

    const unknown = await t.delete(`/api/me/sessions/${randomUUID()}`, { token: user.tokens.access_token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');

    for (const anonymous of [
      t.get('/api/me/sessions'),
      t.delete(`/api/me/sessions/${sid(user.tokens)}`),
      t.post('/api/me/sessions/revoke-others'),
    ]) {
      const response = await anonymous;
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('unauthenticated');
    }
    // None of those requests ended anything.
    expect((await list(user.tokens)).body).toHaveLength(1);
  });
});
