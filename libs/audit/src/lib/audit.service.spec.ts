import type { EntityManager } from 'typeorm';
import { AUDIT_ACTIONS } from './audit-actions';
import { AuditEventEntity } from './audit-event.entity';
import { AuditService } from './audit.service';

describe('AuditService', () => {
  const context = {
    accountId: 'a1b2c3d4-0000-4000-8000-000000000001',
    actorUserId: 'a1b2c3d4-0000-4000-8000-000000000002',
    ip: '203.0.113.7',
    userAgent: 'x'.repeat(600),
    occurredAt: new Date('2026-01-01T00:00:00Z'),
  };

  it("writes through the caller's entity manager, so the event joins the caller's transaction", async () => {
    const insert = jest.fn().mockResolvedValue(undefined);
    const sut = new AuditService();
    await sut.record({ insert } as unknown as EntityManager, context, {
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
      new AuditService().record({ insert } as unknown as EntityManager, context, {
        action: 'session.refresh_reuse_detected',
        resourceType: 'session',
        resourceId: 's',
        details: { session_id: 's' },
      }),
    ).rejects.toThrow('insert failed');
  });

  it('lists each action once (the type check in audit-actions.ts makes sure none is missing)', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });
});
