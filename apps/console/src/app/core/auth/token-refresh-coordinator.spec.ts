import { HttpErrorResponse, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideApiConfiguration, type TokenResponseDto } from '@sessions/api-client';
import { AuthState } from './auth-state';
import { TokenRefreshCoordinator, type AuthBroadcast } from './token-refresh-coordinator';

/** BroadcastChannel between "tabs" of one test: delivers to every other channel of the same name. */
class FakeChannel {
  static open = new Set<FakeChannel>();
  private readonly listeners: ((event: { data: unknown }) => void)[] = [];
  constructor(readonly name: string) {
    FakeChannel.open.add(this);
  }
  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.listeners.push(listener);
  }
  postMessage(data: unknown): void {
    for (const channel of FakeChannel.open) {
      if (channel !== this && channel.name === this.name) channel.listeners.forEach((listener) => listener({ data }));
    }
  }
  close(): void {
    FakeChannel.open.delete(this);
  }
}

/** Web Locks with one exclusive queue per name, as the browser runs them. */
class FakeLocks {
  private tail = new Map<string, Promise<unknown>>();
  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    const run = (this.tail.get(name) ?? Promise.resolve()).then(callback);
    this.tail.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  }
}

const tokens = (access: string): TokenResponseDto => ({
  access_token: access,
  token_type: 'bearer',
  expires_in: 300,
  idle_expires_at: '2100-01-01T00:00:00Z',
  absolute_expires_at: '2100-01-01T00:00:00Z',
});
/** Lets queued promise callbacks (lock hand-over, HTTP dispatch) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('TokenRefreshCoordinator', () => {
  let coordinator: TokenRefreshCoordinator;
  let backend: HttpTestingController;
  let state: AuthState;
  let otherTab: FakeChannel;
  let fromOthers: AuthBroadcast[];
  let locks: FakeLocks;
  const realChannel = globalThis.BroadcastChannel;

  beforeEach(() => {
    locks = new FakeLocks();
    Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
    (globalThis as { BroadcastChannel: unknown }).BroadcastChannel = FakeChannel;
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideApiConfiguration('')] });
    coordinator = TestBed.inject(TokenRefreshCoordinator);
    backend = TestBed.inject(HttpTestingController);
    state = TestBed.inject(AuthState);
    otherTab = new FakeChannel('sessions-auth');
    fromOthers = [];
    coordinator.fromOtherTabs.subscribe((message) => fromOthers.push(message));
  });

  afterEach(() => {
    backend.verify();
    TestBed.resetTestingModule();
    FakeChannel.open.clear();
    (globalThis as { BroadcastChannel: unknown }).BroadcastChannel = realChannel;
  });

  const sentToOtherTabs = () => {
    const seen: unknown[] = [];
    otherTab.addEventListener('message', (event) => seen.push(event.data));
    return seen;
  };

  it('shares one refresh between concurrent callers in a tab, applies it and tells the other tabs', async () => {
    const posted = sentToOtherTabs();
    const first = coordinator.refresh();
    const second = coordinator.refresh();
    await settle();
    const request = backend.expectOne('/api/auth/refresh');
    expect(request.request.method).toBe('POST');
    request.flush(tokens('fresh'));
    expect(await first).toEqual(tokens('fresh'));
    expect(await second).toEqual(tokens('fresh'));
    expect(state.accessToken()).toBe('fresh');
    expect(posted).toEqual([{ type: 'tokens', tokens: tokens('fresh') }]);
  });

  it("uses another tab's answer when that tab refreshed while this one waited for the lock (never spends a rotated cookie)", async () => {
    let releaseOtherTab!: () => void;
    void locks.request('sessions-refresh', () => new Promise<void>((resolve) => (releaseOtherTab = resolve)));
    const waiting = coordinator.refresh();
    await settle();
    backend.expectNone('/api/auth/refresh');
    otherTab.postMessage({ type: 'tokens', tokens: tokens('from-other-tab') });
    releaseOtherTab();
    expect(await waiting).toEqual(tokens('from-other-tab'));
    backend.expectNone('/api/auth/refresh');
  });

  it('refreshes itself after the lock when no other tab answered meanwhile', async () => {
    let releaseOtherTab!: () => void;
    void locks.request('sessions-refresh', () => new Promise<void>((resolve) => (releaseOtherTab = resolve)));
    const waiting = coordinator.refresh();
    await settle();
    backend.expectNone('/api/auth/refresh');
    releaseOtherTab();
    await settle();
    backend.expectOne('/api/auth/refresh').flush(tokens('mine'));
    expect((await waiting).access_token).toBe('mine');
  });

  it('rejects with the refusal and lets the next call try again', async () => {
    const refused = coordinator.refresh();
    await settle();
    backend.expectOne('/api/auth/refresh').flush({ code: 'invalid_refresh_token' }, { status: 401, statusText: 'Unauthorized' });
    await expect(refused).rejects.toBeInstanceOf(HttpErrorResponse);
    expect(state.accessToken()).toBeNull();
    const again = coordinator.refresh();
    await settle();
    backend.expectOne('/api/auth/refresh').flush(tokens('second'));
    expect((await again).access_token).toBe('second');
  });

  it("applies another tab's tokens only while this tab is signed in, and reports them", () => {
    otherTab.postMessage({ type: 'tokens', tokens: tokens('t1') });
    expect(state.accessToken()).toBeNull();
    state.applyTokens(tokens('mine'));
    otherTab.postMessage({ type: 'tokens', tokens: tokens('t2') });
    expect(state.accessToken()).toBe('t2');
    expect(fromOthers.map((m) => m.type)).toEqual(['tokens', 'tokens']);
  });

  it('forgets a shared answer once another tab signed out: the next refresh asks the server', async () => {
    otherTab.postMessage({ type: 'tokens', tokens: tokens('old') });
    otherTab.postMessage({ type: 'signed-out', reason: 'signed_out' });
    expect(fromOthers[1]).toEqual({ type: 'signed-out', reason: 'signed_out' });
    const next = coordinator.refresh();
    await settle();
    backend.expectOne('/api/auth/refresh').flush(tokens('new'));
    expect((await next).access_token).toBe('new');
  });

  it('ignores malformed broadcasts', () => {
    for (const data of [
      null,
      'tokens',
      { type: 'tokens' },
      { type: 'tokens', tokens: { access_token: 42 } },
      { type: 'signed-out', reason: 'bogus' },
      { type: 'other' },
    ]) {
      otherTab.postMessage(data);
    }
    expect(fromOthers).toEqual([]);
    expect(state.accessToken()).toBeNull();
  });
});
