import { HttpTestingController } from '@angular/common/http/testing';
import { CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { type Role, type SecurityPolicyDto } from '@sessions/api-client';
import { AuthState } from '../../core/auth/auth-state';
import { LoadState } from '../../shared/load-state';
import { PageHeader } from '../../shared/page-header';
import { SecurityPage } from './security-page';
import { buttonNamed, pageTestProviders, refuse, settle } from '../../../testing/page-testing';

const POLICY = '/api/accounts/me/security';

function policy(extra: Partial<SecurityPolicyDto> = {}): SecurityPolicyDto {
  return {
    idle_minutes: 30,
    absolute_minutes: 720,
    effective_idle_minutes: 30,
    effective_absolute_minutes: 720,
    active_users: [],
    ...extra,
  } as SecurityPolicyDto;
}

/** The page's own loading, with its cards stubbed (each card loads and is tested on its own). */
describe('SecurityPage (rxResource loader)', () => {
  let fixture: ComponentFixture<SecurityPage>;
  let backend: HttpTestingController;
  const user = signal<{ id: string; role: Role } | null>(null);

  beforeEach(async () => {
    user.set(null);
    TestBed.configureTestingModule({
      providers: [...pageTestProviders(), { provide: AuthState, useValue: { user } }],
    });
    TestBed.overrideComponent(SecurityPage, { set: { imports: [LoadState, PageHeader], schemas: [CUSTOM_ELEMENTS_SCHEMA] } });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SecurityPage);
    await settle();
  });
  afterEach(() => backend.verify());

  const host = () => fixture.nativeElement as HTMLElement;
  const policyForm = () => host().querySelector('app-policy-form') as (HTMLElement & { policy?: SecurityPolicyDto }) | null;

  it('loads the policy once the session says the user is an owner, showing the spinner meanwhile', async () => {
    backend.expectNone(POLICY);
    user.set({ id: 'me', role: 'owner' });
    await settle();
    expect(host().textContent).toContain('Loading the session policy…');
    backend.expectOne(POLICY).flush(policy());
    await settle();
    expect(policyForm()).not.toBeNull();
    // A renewed token brings the same role again: nothing to load.
    user.set({ id: 'me', role: 'owner' });
    await settle();
    backend.expectNone(POLICY);
  });

  it('does not ask admins or engineers for the policy', async () => {
    user.set({ id: 'me', role: 'admin' });
    await settle();
    user.set({ id: 'me', role: 'engineer' });
    await settle();
    backend.expectNone(POLICY);
    expect(host().textContent).toContain('Sign-in');
  });

  it("shows the API's problem detail when the policy cannot load, and Try again loads it", async () => {
    user.set({ id: 'me', role: 'owner' });
    await settle();
    refuse(backend.expectOne(POLICY), 503, 'unavailable', 'The database is resting.');
    await settle();
    expect(host().textContent).toContain('The database is resting.');
    buttonNamed(fixture, 'Try again')?.click();
    await settle();
    backend.expectOne(POLICY).flush(policy());
    await settle();
    expect(policyForm()).not.toBeNull();
  });

  it('loads the policy again after everyone was signed out (who is signed in changed), keeping the cards meanwhile', async () => {
    user.set({ id: 'me', role: 'owner' });
    await settle();
    backend.expectOne(POLICY).flush(policy({ active_users: [{ user_id: 'b' }] as SecurityPolicyDto['active_users'] }));
    await settle();
    expect(policyForm()?.policy?.active_users).toHaveLength(1);
    host().querySelector('app-revoke-sessions')?.dispatchEvent(new CustomEvent('revoked'));
    await settle();
    expect(policyForm()).not.toBeNull();
    backend.expectOne(POLICY).flush(policy({ active_users: [] }));
    await settle();
    expect(policyForm()?.policy?.active_users).toHaveLength(0);
  });
});
