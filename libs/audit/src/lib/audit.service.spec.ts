import { AUDIT_ACTIONS } from './audit-actions';
import { AuditEventEntity } from './audit-event.entity';
import { AuditService } from './audit.service';

/** The service over a fake transaction host whose running transaction is `tx`. */
const over = (tx: object) => new AuditService({ tx } as never);

describe('AuditService', () => {
  const context = {
    accountId: 'a1b2c3d4-0000-4000-8000-000000000001',
    actorUserId: 'a1b2c3d4-0000-4000-8000-000000000002',
    ip: '203.0.113.7',
    userAgent: 'x'.repeat(600),
    occurredAt: new Date('2026-01-01T00:00:00Z'),
  };

  it("writes through the running transaction, so the event joins the caller's transaction", async () => {
    const insert = jest.fn().mockResolvedValue(undefined);
    const sut = over({ insert });
    await sut.record(context, {
      action: 'account.sessions_revoked_bulk',
      resourceType: 'account',
      resourceId: context.accountId,
      details: { scope: 'others', revoked_count: 3 },
    });
    expect(insert).toHaveBeenCalledTimes(1);
    const [entity, row] = insert.mock.calls[0] as [unknown, Record<string, unknown>];
    expect(entity).toBe(AuditEventEntity);
    expect(row).toMatchObject({
      accountId: context.accountId,
      actorUserId: context.actorUserId,
      action: 'account.sessions_revoked_bulk',
      resourceType: 'account',
      details: { scope: 'others', revoked_count: 3 },
      ip: '203.0.113.7',
      occurredAt: context.occurredAt,
    });
    expect((row['userAgent'] as string).length).toBe(500);
  });

  it('propagates a failed write, so the surrounding transaction rolls back', async () => {
    const insert = jest.fn().mockRejectedValue(new Error('insert failed'));
    await expect(
      over({ insert }).record(context, {
        action: 'session.refresh_reuse_detected',
        resourceType: 'session',
        resourceId: 's',
        details: { session_id: 's' },
      }),
    ).rejects.toThrow('insert failed');
  });

  it('writes many events in one statement in the running transaction, and nothing for none', async () => {
    const query = jest.fn().mockResolvedValue([]);
    const sut = over({ query });
    await sut.recordMany(context, []);
    expect(query).not.toHaveBeenCalled();
    const records = ['s1', 's2', 's3'].map((id) => ({
      action: 'session.revoked' as const,
      resourceType: 'session' as const,
      resourceId: id,
      details: { session_id: id, by: 'self' as const, reason: 'logout' as const },
    }));
    await sut.recordMany(context, records);
    expect(query).toHaveBeenCalledTimes(1);
    const [sql, params] = query.mock.calls[0] as [string, unknown[]];
    expect(sql).toMatch(/^INSERT INTO audit_events .* FROM unnest\(/s);
    expect(params.slice(0, 5)).toEqual([context.accountId, context.actorUserId, '203.0.113.7', 'x'.repeat(500), context.occurredAt]);
    expect(params[7]).toEqual(['s1', 's2', 's3']);
    expect((params[8] as string[]).map((d) => JSON.parse(d) as unknown)).toEqual(records.map((r) => r.details));
  });

  it('lists each action once (the type check in audit-actions.ts makes sure none is missing)', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });
});
