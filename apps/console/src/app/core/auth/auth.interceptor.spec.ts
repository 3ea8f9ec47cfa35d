import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { AuthSession } from './auth-session';
import { AuthState } from './auth-state';
import { authInterceptor } from './auth.interceptor';
import { TokenRefreshCoordinator } from './token-refresh-coordinator';

const tokens = (access: string) =>
  ({ access_token: access, idle_expires_at: '2100-01-01T00:00:00Z', absolute_expires_at: '2100-01-01T00:00:00Z' }) as never;
const problem = (status: number, code: string) => ({
  status,
  statusText: 'x',
  headers: { 'content-type': 'application/problem+json' },
  body: { code },
});

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let state: AuthState;
  const refresh = jest.fn();
  const expire = jest.fn();

  beforeEach(() => {
    refresh.mockReset();
    expire.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: TokenRefreshCoordinator, useValue: { refresh } },
        { provide: AuthSession, useValue: { expire } },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    state = TestBed.inject(AuthState);
    state.applyTokens(tokens('old-token'));
  });
  afterEach(() => backend.verify());

  const answer = (url: string, status: number, code: string) => {
    const { body, ...init } = problem(status, code);
    backend.expectOne(url).flush(body, init);
  };
  const failureOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as HttpErrorResponse;
    }
    throw new Error('expected the call to fail');
  };

  it('sends the access token to the API', async () => {
    const call = firstValueFrom(http.get('/api/devices'));
    const request = backend.expectOne('/api/devices');
    expect(request.request.headers.get('Authorization')).toBe('Bearer old-token');
    request.flush([]);
    await call;
  });

  it('never sends the access token to another origin, even to a path under /api/', async () => {
    const call = firstValueFrom(http.get('https://elsewhere.example/api/devices'));
    const request = backend.expectOne('https://elsewhere.example/api/devices');
    expect(request.request.headers.has('Authorization')).toBe(false);
    expect(request.request.headers.has('X-Token-Transport')).toBe(false);
    request.flush([]);
    await call;
  });

  it('leaves non-API requests alone', async () => {
    const call = firstValueFrom(http.get('/assets/x.json'));
    const request = backend.expectOne('/assets/x.json');
    expect(request.request.headers.has('Authorization')).toBe(false);
    expect(request.request.headers.has('X-Token-Transport')).toBe(false);
    request.flush({});
    await call;
  });

  it('asks for the cookie transport on token endpoints, without a bearer and without retrying their 401', async () => {
    const call = firstValueFrom(http.post('/api/auth/refresh', {}));
    const request = backend.expectOne('/api/auth/refresh');
    expect(request.request.headers.get('X-Token-Transport')).toBe('cookie');
    expect(request.request.headers.has('Authorization')).toBe(false);
    const { body, ...init } = problem(401, 'unauthenticated');
    request.flush(body, init);
    expect((await failureOf(call)).status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('refreshes once on 401 unauthenticated and retries with the new token', async () => {
    refresh.mockResolvedValue(tokens('new-token'));
    const call = firstValueFrom(http.get<string[]>('/api/devices'));
    answer('/api/devices', 401, 'unauthenticated');
    await Promise.resolve();
    const retry = backend.expectOne('/api/devices');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer new-token');
    retry.flush(['laptop']);
    expect(await call).toEqual(['laptop']);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('does not refresh a second time when the retried call is refused again', async () => {
    refresh.mockResolvedValue(tokens('new-token'));
    const call = firstValueFrom(http.get('/api/devices'));
    answer('/api/devices', 401, 'unauthenticated');
    await Promise.resolve();
    answer('/api/devices', 401, 'unauthenticated');
    expect((await failureOf(call)).status).toBe(401);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('hands a refused refresh to the session (which signs out with the reason) and fails the call', async () => {
    const refusal = new HttpErrorResponse({ status: 401, error: { code: 'invalid_refresh_token', reason: 'revoked_by_owner' } });
    refresh.mockRejectedValue(refusal);
    const call = firstValueFrom(http.get('/api/devices'));
    answer('/api/devices', 401, 'unauthenticated');
    const error = await failureOf(call);
    expect(error.status).toBe(401);
    expect(expire).toHaveBeenCalledWith(refusal);
  });

  it.each([
    [403, 'forbidden'],
    [401, 'invalid_credentials'],
    [500, 'internal'],
  ])('passes %d %s through without refreshing', async (status, code) => {
    const call = firstValueFrom(http.get('/api/accounts/me/security'));
    answer('/api/accounts/me/security', status, code);
    expect((await failureOf(call)).status).toBe(status);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('does not refresh for a tab that is not signed in', async () => {
    state.clear();
    const call = firstValueFrom(http.get('/api/devices'));
    const request = backend.expectOne('/api/devices');
    expect(request.request.headers.has('Authorization')).toBe(false);
    const { body, ...init } = problem(401, 'unauthenticated');
    request.flush(body, init);
    expect((await failureOf(call)).status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });
});
