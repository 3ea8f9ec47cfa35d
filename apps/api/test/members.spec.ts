import { addMember, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('members and roles (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('members and roles', () => {
    it('lets owners add members and admins list them; engineers get 403', async () => {
      const owner = await signupOwner(t);
      const admin = await addMember(t, owner, 'admin');
      const engineer = await addMember(t, owner, 'engineer');

      const asAdmin = await t.get('/api/accounts/me/members', { token: admin.tokens.access_token });
      expect(asAdmin.status).toBe(200);
      expect(asAdmin.body.map((m: { email: string }) => m.email).sort()).toEqual([owner.email, admin.email, engineer.email].sort());
      expect(asAdmin.body[0]).toEqual(
        expect.objectContaining({ id: expect.any(String), name: expect.any(String), role: expect.any(String), is_active: true }),
      );

      const asEngineer = await t.get('/api/accounts/me/members', { token: engineer.tokens.access_token });
      expect(asEngineer.status).toBe(403);
      expect(asEngineer.body.code).toBe('forbidden');
      const adminAdds = await t.post(
        '/api/accounts/me/members',
        { name: 'N', email: 'n@example.test', role: 'engineer', password: 'password-123' },
        { token: admin.tokens.access_token },
      );
      expect(adminAdds.status).toBe(403);
      const engineerPatches = await t.patch(
        `/api/accounts/me/members/${admin.id}`,
        { role: 'engineer' },
        { token: engineer.tokens.access_token },
      );
      expect(engineerPatches.status).toBe(403);
    });

    it('never shows or changes the members of another account (404)', async () => {
      const ownerA = await signupOwner(t);
      const ownerB = await signupOwner(t);
      const memberB = await addMember(t, ownerB, 'engineer');
      const list = await t.get('/api/accounts/me/members', { token: ownerA.tokens.access_token });
      expect(list.body.map((m: { id: string }) => m.id)).not.toContain(memberB.id);
      const patch = await t.patch(`/api/accounts/me/members/${memberB.id}`, { is_active: false }, { token: ownerA.tokens.access_token });
      expect(patch.status).toBe(404);
      expect(patch.body.code).toBe('not_found');
      const [row] = await t.db.query('SELECT is_active FROM users WHERE id = $1', [memberB.id]);
      expect(row.is_active).toBe(true);
    });

    it('keeps at least one active owner (409), and audits member changes', async () => {
      const owner = await signupOwner(t);
      const demote = await t.patch(`/api/accounts/me/members/${owner.id}`, { role: 'admin' }, { token: owner.tokens.access_token });
      expect(demote.status).toBe(409);
      const deactivate = await t.patch(`/api/accounts/me/members/${owner.id}`, { is_active: false }, { token: owner.tokens.access_token });
      expect(deactivate.status).toBe(409);

      const second = await addMember(t, owner, 'admin');
      t.clock.advance(1);
      const promote = await t.patch(`/api/accounts/me/members/${second.id}`, { role: 'owner' }, { token: owner.tokens.access_token });
      expect(promote.status).toBe(200);
      expect(promote.body).toMatchObject({ id: second.id, role: 'owner', is_active: true });
      t.clock.advance(1);
      const demoteNow = await t.patch(`/api/accounts/me/members/${owner.id}`, { role: 'engineer' }, { token: owner.tokens.access_token });
      expect(demoteNow.status).toBe(200);
      const events = await t.db.query(
        `SELECT action, details FROM audit_events WHERE account_id = $1 AND action LIKE 'member.%' ORDER BY occurred_at`,
        [owner.accountId],
      );
      expect(events.map((e: { action: string }) => e.action)).toEqual(['member.added', 'member.updated', 'member.updated']);
      expect(events[1].details).toEqual({ user_id: second.id, role: 'owner', is_active: true });
    });
  });
});
