import { csvCell, csvHeader, csvRow, ndjsonRow } from './audit-export';
import type { AuditEventDto } from './dto/audit-event.dto';

const event = (overrides: Partial<AuditEventDto> = {}): AuditEventDto => ({
  id: '00000000-0000-4000-8000-000000000001',
  occurred_at: '2026-01-02T03:04:05.000Z',
  action: 'auth.login_failed',
  actor: null,
  resource_type: 'user',
  resource_id: null,
  details: { method: 'password', reason: 'wrong_password' },
  ip: '203.0.113.7',
  user_agent: 'curl/8',
  ...overrides,
});

describe('csvCell', () => {
  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('neutralises the formula %j', (value) => {
    expect(csvCell(value).startsWith(`"'`)).toBe(true);
  });

  it('quotes every cell and doubles inner quotes, so commas and newlines stay inside', () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell(null)).toBe('');
  });
});

describe('csvRow / ndjsonRow', () => {
  it('writes one line per event in the header order, details as JSON', () => {
    expect(csvHeader()).toBe('id,occurred_at,action,actor_user_id,actor_email,resource_type,resource_id,ip,user_agent,details\r\n');
    const row = csvRow(event({ user_agent: '=cmd|calc' }));
    expect(row).toBe(
      '"00000000-0000-4000-8000-000000000001","2026-01-02T03:04:05.000Z","auth.login_failed",,,"user",,"203.0.113.7","\'=cmd|calc","{""method"":""password"",""reason"":""wrong_password""}"\r\n',
    );
  });

  it('writes NDJSON lines that parse back to the event', () => {
    const line = ndjsonRow(event());
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event());
  });
});
