import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { type SessionDto } from '@sessions/api-client';
import { of } from 'rxjs';
import { Notifier } from '../../core/ui/notifier';
import { DevicesPage } from './devices-page';
import { buttonNamed, pageTestProviders, refuse, settle, textOf } from '../../../testing/page-testing';

const LIST = '/api/me/sessions';

function device(id: string, extra: Partial<SessionDto> = {}): SessionDto {
  return {
    id,
    device_label: `Device ${id}`,
    device_type: 'desktop',
    is_current: false,
    created_at: '2026-11-25T10:00:00Z',
    last_used_at: '2026-11-25T11:00:00Z',
    ...extra,
  } as SessionDto;
}

describe('DevicesPage (rxResource loader)', () => {
  let fixture: ComponentFixture<DevicesPage>;
  let backend: HttpTestingController;
  const notifier = { info: jest.fn(), error: jest.fn() };
  const confirmed = jest.fn(() => true);

  beforeEach(async () => {
    notifier.info.mockReset();
    notifier.error.mockReset();
    TestBed.configureTestingModule({
      providers: [
        ...pageTestProviders(),
        { provide: Notifier, useValue: notifier },
        { provide: MatDialog, useValue: { open: () => ({ afterClosed: () => of(confirmed()) }) } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DevicesPage);
    await settle();
  });
  afterEach(() => backend.verify());

  const text = () => textOf(fixture);
  const button = (name: string) => buttonNamed(fixture, name) as HTMLButtonElement;
  const firstPage = () => backend.expectOne((r) => r.url === LIST && !r.params.has('cursor'));

  it('shows the spinner, then the devices of the first page', async () => {
    expect(text()).toContain('Loading your devices…');
    firstPage().flush([device('a', { is_current: true }), device('b')]);
    await settle();
    expect(text()).not.toContain('Loading your devices…');
    expect(text()).toContain('Device a');
    expect(text()).toContain('Device b');
  });

  it("shows the API's problem detail when the list cannot load, and Try again loads it", async () => {
    refuse(firstPage(), 503, 'unavailable', 'The database is resting.');
    await settle();
    expect(text()).toContain('The database is resting.');
    button('Try again').click();
    await settle();
    firstPage().flush([device('a', { is_current: true })]);
    await settle();
    expect(text()).not.toContain('The database is resting.');
    expect(text()).toContain('Device a');
  });

  it('appends the next page after the cursor, without the devices already shown', async () => {
    firstPage().flush([device('a'), device('b')], { headers: { 'Next-Cursor': 'c1' } });
    await settle();
    button('Show more devices').click();
    const more = backend.expectOne((r) => r.url === LIST && r.params.get('cursor') === 'c1');
    more.flush([device('b'), device('c')]);
    await settle();
    expect(text().match(/Device b/g)).toHaveLength(1);
    expect(text()).toContain('Device c');
    expect(button('Show more devices')).toBeUndefined();
  });

  it('reloads the list after "Sign out all other devices", keeping it on screen meanwhile', async () => {
    firstPage().flush([device('a', { is_current: true }), device('b')]);
    await settle();
    button('Sign out all other devices').click();
    backend.expectOne('/api/me/sessions/revoke-others').flush({ revoked_count: 1 });
    await settle();
    expect(notifier.info).toHaveBeenCalledWith('Signed out 1 other device.');
    expect(text()).toContain('Device b');
    firstPage().flush([device('a', { is_current: true })]);
    await settle();
    expect(text()).not.toContain('Device b');
  });

  it('takes a signed-out device off the list without loading it again', async () => {
    firstPage().flush([device('a', { is_current: true }), device('b')]);
    await settle();
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('button[aria-label="Sign out Device b"]')?.click();
    backend.expectOne((r) => r.method === 'DELETE' && r.url === '/api/me/sessions/b').flush(null);
    await settle();
    expect(text()).not.toContain('Device b');
    expect(notifier.info).toHaveBeenCalledWith('Signed out Device b.');
  });
});
