import { AuditService } from '@sessions/audit';
import { Transactions } from '../src/database/transactions';
import { SessionRevocations } from '../src/sessions/session-revocations.service';
import { SessionsService } from '../src/sessions/sessions.service';
import { decodeJwt, signupOwner, SignedInUser } from './builders';
import { createTestApp, TestApp } from './test-app';

/**
 * Issue 13 / ADR 0022: the transaction lives in the async context (nestjs-cls), not in
 * method signatures. What `Transactions.run` must still guarantee, on real PostgreSQL:
 * an after-commit hook (the revocation cache) runs only after COMMIT, never for a
 * rolled-back change; an audit row commits or rolls back with its change.
 */
describe('Transactions (CLS-held transaction, after-commit hooks)', () => {
  let t: TestApp;
  let transactions: Transactions;
  let sessions: SessionsService;
  let revocations: SessionRevocations;
  let audit: AuditService;

  beforeAll(async () => {
    t = await createTestApp();
    transactions = t.app.get(Transactions);
    sessions = t.app.get(SessionsService);
    revocations = t.app.get(SessionRevocations);
    audit = t.app.get(AuditService);
  });
  afterAll(() => t.close());

  const sessionOf = (owner: SignedInUser): string => decodeJwt(owner.tokens.access_token)['sid'] as string;
  const revokedAt = async (sessionId: string) =>
    ((await t.db.query('SELECT revoked_at FROM sessions WHERE id = $1', [sessionId])) as { revoked_at: Date | null }[])[0].revoked_at;
  const auditRows = async (accountId: string, action: string) =>
    Number(
      (
        (await t.db.query('SELECT count(*) AS n FROM audit_events WHERE account_id = $1 AND action = $2', [accountId, action])) as {
          n: string;
        }[]
      )[0].n,
    );
  const logoutAudit = (owner: SignedInUser, accountId = owner.accountId) =>
    audit.record(
      { accountId, actorUserId: owner.id, ip: null, userAgent: null, occurredAt: t.clock.now() },
      {
        action: 'session.revoked',
        resourceType: 'session',
        resourceId: sessionOf(owner),
        details: { session_id: sessionOf(owner), by: 'self', reason: 'logout' },
      },
    );

  it('runs the after-commit hook only once the transaction committed', async () => {
    const owner = await signupOwner(t);
    const sid = sessionOf(owner);
    let insideSawRevoked: boolean | null = null;
    await transactions.run(async () => {
      await sessions.revoke({ accountId: owner.accountId, sessionId: sid }, 'logout');
      await logoutAudit(owner);
      insideSawRevoked = revocations.isRevoked(sid);
    });
    expect(insideSawRevoked).toBe(false);
    expect(revocations.isRevoked(sid)).toBe(true);
    expect(await revokedAt(sid)).not.toBeNull();
    expect(await auditRows(owner.accountId, 'session.revoked')).toBe(1);
  });

  it('a rolled-back transaction runs no after-commit hook and leaves neither the change nor its audit row', async () => {
    const owner = await signupOwner(t);
    const sid = sessionOf(owner);
    const failure = new Error('the work fails after its writes');
    await expect(
      transactions.run(async () => {
        await sessions.revoke({ accountId: owner.accountId, sessionId: sid }, 'logout');
        await logoutAudit(owner);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(revocations.isRevoked(sid)).toBe(false);
    expect(await revokedAt(sid)).toBeNull();
    expect(await auditRows(owner.accountId, 'session.revoked')).toBe(0);
    // The session still works: its access token is accepted.
    expect((await t.get('/api/auth/me', { token: owner.tokens.access_token })).status).toBe(200);
  });

  it('an audit write that fails rolls the change back (and runs no hook)', async () => {
    const owner = await signupOwner(t);
    const sid = sessionOf(owner);
    await expect(
      transactions.run(async () => {
        await sessions.revoke({ accountId: owner.accountId, sessionId: sid }, 'logout');
        await logoutAudit(owner, 'not-a-uuid'); // PostgreSQL refuses the row
      }),
    ).rejects.toThrow(/uuid/);
    expect(revocations.isRevoked(sid)).toBe(false);
    expect(await revokedAt(sid)).toBeNull();
  });

  it('a nested run joins the outer transaction: its hooks wait for the outer commit and die with its rollback', async () => {
    const owner = await signupOwner(t);
    const sid = sessionOf(owner);
    await expect(
      transactions.run(async () => {
        await transactions.run(() => sessions.revoke({ accountId: owner.accountId, sessionId: sid }, 'logout'));
        expect(revocations.isRevoked(sid)).toBe(false);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(revocations.isRevoked(sid)).toBe(false);
    expect(await revokedAt(sid)).toBeNull();
  });

  it('outside a transaction a change commits on its own, so its hook runs at once', async () => {
    const owner = await signupOwner(t);
    const sid = sessionOf(owner);
    await sessions.revoke({ accountId: owner.accountId, sessionId: sid }, 'logout');
    expect(revocations.isRevoked(sid)).toBe(true);
    expect(await revokedAt(sid)).not.toBeNull();
  });
});
