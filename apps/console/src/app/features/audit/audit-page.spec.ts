import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { type AuditEventDto } from '@sessions/api-client';
import { Notifier } from '../../core/ui/notifier';
import { AuditPage } from './audit-page';
import { buttonNamed, pageTestProviders, refuse, settle, textOf } from '../../../testing/page-testing';

const LOG = '/api/accounts/me/audit-events';
const MEMBERS = '/api/accounts/me/members';

function event(id: string): AuditEventDto {
  return {
    id,
    action: 'auth.login_succeeded',
    actor: { user_id: 'u1', email: `actor-${id}@demo.test` },
    details: {},
    ip: '203.0.113.7',
    occurred_at: '2026-11-25T10:00:00Z',
    resource_id: null,
    resource_type: 'user',
    user_agent: null,
  } as AuditEventDto;
}

describe('AuditPage (rxResource loader)', () => {
  let fixture: ComponentFixture<AuditPage>;
  let backend: HttpTestingController;
  const notifier = { info: jest.fn(), error: jest.fn() };

  beforeEach(async () => {
    notifier.error.mockReset();
    TestBed.configureTestingModule({
      providers: [...pageTestProviders(), { provide: Notifier, useValue: notifier }],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AuditPage);
    await settle();
    backend.expectOne(MEMBERS).flush([]);
  });
  afterEach(() => backend.verify());

  const text = () => textOf(fixture);
  const page = () => fixture.componentInstance;
  const logCall = (match: (request: TestRequest['request']) => boolean = () => true): TestRequest =>
    backend.expectOne((r) => r.url === LOG && match(r));

  it('shows the spinner, then the first 50 events; "Load more" appends the next page with the same filters', async () => {
    expect(text()).toContain('Loading the audit log…');
    const first = logCall();
    expect(first.request.params.get('limit')).toBe('50');
    first.flush({ items: [event('1'), event('2')], next_cursor: 'c1' });
    await settle();
    expect(text()).toContain('actor-2@demo.test');

    page()['setFilter']({ action: 'auth.login_succeeded' });
    await settle();
    logCall((r) => r.params.get('action') === 'auth.login_succeeded' && !r.params.has('cursor')).flush({
      items: [event('1')],
      next_cursor: 'c2',
    });
    await settle();
    page()['loadMore']();
    logCall((r) => r.params.get('cursor') === 'c2' && r.params.get('action') === 'auth.login_succeeded').flush({
      items: [event('3')],
      next_cursor: null,
    });
    await settle();
    expect(text()).toContain('actor-1@demo.test');
    expect(text()).toContain('actor-3@demo.test');
    expect(text()).not.toContain('Load more');
  });

  it("shows the API's problem detail when the log cannot load, and Try again loads it", async () => {
    refuse(logCall(), 403, 'forbidden', 'Only owners can read the audit log.');
    await settle();
    expect(text()).toContain('Only owners can read the audit log.');
    buttonNamed(fixture, 'Try again')?.click();
    await settle();
    logCall().flush({ items: [event('1')], next_cursor: null });
    await settle();
    expect(text()).toContain('actor-1@demo.test');
  });

  it('a filter change drops the call under way and shows the spinner until the filtered page comes', async () => {
    const stale = logCall();
    page()['setFilter']({ from: '2026-11-01' });
    await settle();
    expect(stale.cancelled).toBe(true);
    expect(text()).toContain('Loading the audit log…');
    logCall((r) => r.params.has('since')).flush({ items: [], next_cursor: null });
    await settle();
    expect(text()).toContain('No events match these filters.');
  });

  it('a page still coming for the old filters is not added to the new list', async () => {
    logCall().flush({ items: [event('1')], next_cursor: 'c1' });
    await settle();
    page()['loadMore']();
    const more = logCall((r) => r.params.get('cursor') === 'c1');
    page()['setFilter']({ action: 'session.revoked' });
    await settle();
    expect(more.cancelled).toBe(true);
    logCall((r) => r.params.get('action') === 'session.revoked').flush({ items: [event('9')], next_cursor: null });
    await settle();
    expect(text()).toContain('actor-9@demo.test');
    expect(text()).not.toContain('actor-1@demo.test');
  });
});
