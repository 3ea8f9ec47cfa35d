import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { STEP_UP_CANCELLED, stepUpInterceptor } from './step-up.interceptor';
import { StepUp } from './step-up.service';

const PROBLEM = { headers: { 'content-type': 'application/problem+json' } };
const stale = { code: 'reauthentication_required', detail: 'x', max_age_seconds: 600, authenticated_at: '2026-01-01T00:00:00Z' };

describe('stepUpInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  const confirm = jest.fn<Promise<boolean>, [number | null]>();

  beforeEach(() => {
    confirm.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([stepUpInterceptor])),
        provideHttpClientTesting(),
        { provide: StepUp, useValue: { confirm } },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  const failureOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as HttpErrorResponse;
    }
    throw new Error('expected the call to fail');
  };
  /** Lets the confirm promise settle before the next request is expected. */
  const settle = () => new Promise((resolve) => setTimeout(resolve));

  it('asks for the password with the window from the refusal, then retries the action once', async () => {
    confirm.mockResolvedValue(true);
    const call = firstValueFrom(http.patch('/api/accounts/me/security', { idle_minutes: 60 }));
    backend.expectOne('/api/accounts/me/security').flush(stale, { status: 403, statusText: 'Forbidden', ...PROBLEM });
    await settle();
    const retry = backend.expectOne('/api/accounts/me/security');
    expect(retry.request.body).toEqual({ idle_minutes: 60 });
    retry.flush({ idle_minutes: 60 });
    await expect(call).resolves.toEqual({ idle_minutes: 60 });
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm).toHaveBeenCalledWith(600);
  });

  it('does not ask twice: a second refusal after the retry reaches the page', async () => {
    confirm.mockResolvedValue(true);
    const call = firstValueFrom(http.patch('/api/accounts/me/security', {}));
    backend.expectOne('/api/accounts/me/security').flush(stale, { status: 403, statusText: 'Forbidden', ...PROBLEM });
    await settle();
    backend.expectOne('/api/accounts/me/security').flush(stale, { status: 403, statusText: 'Forbidden', ...PROBLEM });
    const error = await failureOf(call);
    expect(error.status).toBe(403);
    expect(confirm).toHaveBeenCalledTimes(1);
  });

  it('leaves the action undone when the user cancels, with a sentence saying so', async () => {
    confirm.mockResolvedValue(false);
    const call = firstValueFrom(http.post('/api/accounts/me/security/revoke-sessions', { scope: 'all' }));
    backend.expectOne('/api/accounts/me/security/revoke-sessions').flush(stale, { status: 403, statusText: 'Forbidden', ...PROBLEM });
    const error = await failureOf(call);
    expect(error.status).toBe(403);
    expect(error.error).toMatchObject({ code: 'reauthentication_required', detail: STEP_UP_CANCELLED });
    backend.expectNone('/api/accounts/me/security/revoke-sessions');
  });

  it('passes other refusals through untouched, a role refusal included', async () => {
    const call = firstValueFrom(http.patch('/api/accounts/me/security', {}));
    backend
      .expectOne('/api/accounts/me/security')
      .flush({ code: 'forbidden', detail: 'no' }, { status: 403, statusText: 'Forbidden', ...PROBLEM });
    expect((await failureOf(call)).error).toMatchObject({ code: 'forbidden' });
    expect(confirm).not.toHaveBeenCalled();
  });

  it('never intercepts the reauthenticate call itself', async () => {
    const call = firstValueFrom(http.post('/api/auth/reauthenticate', { password: 'x' }));
    backend.expectOne('/api/auth/reauthenticate').flush(stale, { status: 403, statusText: 'Forbidden', ...PROBLEM });
    expect((await failureOf(call)).status).toBe(403);
    expect(confirm).not.toHaveBeenCalled();
  });
});
