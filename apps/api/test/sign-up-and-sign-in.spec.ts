import { login, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('sign-up and sign-in (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('sign-up and sign-in', () => {
    it('signs up, then signs in with JSON and with the OAuth2 form', async () => {
      const owner = await signupOwner(t);
      const tokens = await login(t, owner.email, owner.password);
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 300 });
      const me = await t.get('/api/auth/me', { token: tokens.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: owner.email, role: 'owner', account_id: owner.accountId, id: owner.id });

      const form = await t.post('/api/auth/login', undefined, {
        form: { username: owner.email.toUpperCase(), password: owner.password, grant_type: 'password' },
      });
      expect(form.status).toBe(200);
      expect(form.body.access_token).toEqual(expect.any(String));
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const owner = await signupOwner(t);
      const wrongPassword = await t.post('/api/auth/login/json', { email: owner.email, password: 'not-the-password' });
      const unknownEmail = await t.post('/api/auth/login/json', { email: 'nobody@example.test', password: 'not-the-password' });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(unknownEmail.status).toBe(wrongPassword.status);
    });

    it('records last_login_at and audits the failure without the password', async () => {
      const owner = await signupOwner(t);
      await t.post('/api/auth/login/json', { email: owner.email, password: 'secret-guess-123' });
      const rows = await t.db.query(
        `SELECT action, details::text AS details FROM audit_events WHERE account_id = $1 AND action = 'auth.login_failed'`,
        [owner.accountId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].details).not.toContain('secret-guess-123');
      const [user] = await t.db.query('SELECT last_login_at FROM users WHERE id = $1', [owner.id]);
      expect(user.last_login_at).toBeInstanceOf(Date);
    });

    it('refuses a second account with the same email, whatever its case (409)', async () => {
      const owner = await signupOwner(t);
      const response = await t.post('/api/auth/signup', {
        account_name: 'Other',
        name: 'X',
        email: owner.email.toUpperCase(),
        password: 'password-123',
      });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('conflict');
    });

    it('stores argon2id hashes, never the password', async () => {
      const owner = await signupOwner(t);
      const [row] = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [owner.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(owner.password);
    });
  });
});
