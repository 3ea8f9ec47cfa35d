import { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { type MemberDto } from '@sessions/api-client';
import { of } from 'rxjs';
import { AuthState } from '../../core/auth/auth-state';
import { Notifier } from '../../core/ui/notifier';
import { MembersPage } from './members-page';
import { buttonNamed, pageTestProviders, refuse, settle, textOf } from '../../../testing/page-testing';

const LIST = '/api/accounts/me/members';

function member(id: string, extra: Partial<MemberDto> = {}): MemberDto {
  return {
    id,
    name: `Member ${id}`,
    email: `${id}@demo.test`,
    role: 'engineer',
    is_active: true,
    last_login_at: null,
    active_session_count: 0,
    ...extra,
  };
}

describe('MembersPage (rxResource loader)', () => {
  let fixture: ComponentFixture<MembersPage>;
  let backend: HttpTestingController;
  const notifier = { info: jest.fn(), error: jest.fn() };

  beforeEach(async () => {
    notifier.info.mockReset();
    notifier.error.mockReset();
    TestBed.configureTestingModule({
      providers: [
        ...pageTestProviders(),
        { provide: Notifier, useValue: notifier },
        { provide: AuthState, useValue: { isOwner: signal(true), user: signal({ id: 'me' }) } },
        // Every confirmation is accepted; the devices dialog closes at once.
        { provide: MatDialog, useValue: { open: () => ({ afterClosed: () => of(true) }) } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MembersPage);
    await settle();
  });
  afterEach(() => backend.verify());

  const text = () => textOf(fixture);
  const page = () => fixture.componentInstance;

  it('shows the spinner, then everyone in the account', async () => {
    expect(text()).toContain('Loading the members…');
    backend.expectOne(LIST).flush([member('me', { role: 'owner' }), member('b')]);
    await settle();
    expect(text()).not.toContain('Loading the members…');
    expect(text()).toContain('Member b');
    expect(text()).toContain('(you)');
  });

  it("shows the API's refusal when the list cannot load, and Try again loads it", async () => {
    refuse(backend.expectOne(LIST), 403, 'forbidden', 'Only owners and admins can see the members.');
    await settle();
    expect(text()).toContain('Only owners and admins can see the members.');
    buttonNamed(fixture, 'Try again')?.click();
    await settle();
    backend.expectOne(LIST).flush([member('b')]);
    await settle();
    expect(text()).toContain('Member b');
  });

  it('writes a confirmed change into the list as the API answers it, without loading the list again', async () => {
    backend.expectOne(LIST).flush([member('me', { role: 'owner' }), member('b')]);
    await settle();
    page()['setActive'](member('b'), false);
    const patch = backend.expectOne({ method: 'PATCH', url: `${LIST}/b` });
    expect(patch.request.body).toEqual({ is_active: false });
    patch.flush(member('b', { is_active: false }));
    await settle();
    expect(text()).toContain('Deactivated');
    expect(notifier.info).toHaveBeenCalledWith('Member b is deactivated.');
  });

  it("leaves the list as it was and shows the API's refusal of a change", async () => {
    backend.expectOne(LIST).flush([member('me', { role: 'owner' })]);
    await settle();
    page()['changeRole'](member('me', { role: 'owner' }), 'admin');
    refuse(
      backend.expectOne({ method: 'PATCH', url: `${LIST}/me` }),
      409,
      'last_owner',
      'The last active owner cannot be demoted or deactivated.',
    );
    await settle();
    expect(notifier.error).toHaveBeenCalledTimes(1);
    expect(text()).toContain('Owner');
  });

  it('loads the list again when the devices dialog closes (sessions may have ended), keeping it on screen meanwhile', async () => {
    backend.expectOne(LIST).flush([member('b', { active_session_count: 2 })]);
    await settle();
    page()['openSessions'](member('b'));
    await settle();
    expect(text()).toContain('Member b');
    backend.expectOne(LIST).flush([member('b', { active_session_count: 0 })]);
    await settle();
    expect(text()).not.toContain('2 devices');
  });
});
