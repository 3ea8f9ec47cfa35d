import { signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('request errors: validation, malformed bodies, missing tokens (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('bad input', () => {
    it('gives 422 with field errors for an invalid body', async () => {
      const response = await t.post('/api/auth/signup', {
        account_name: '',
        name: 'A',
        email: 'not-an-email',
        password: 'short',
        extra: 1,
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['account_name', 'email', 'extra', 'password']);
    });

    it('gives 400 malformed_request for unparseable JSON and for a wrong content type', async () => {
      const broken = await t.post('/api/auth/login/json', '{"email": ', { headers: { 'content-type': 'application/json' } });
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('malformed_request');
      const text = await t.post('/api/auth/login/json', 'email=a', { headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(400);
      expect(text.body.code).toBe('malformed_request');
    });

    it('gives 422 for a non-uuid member id and 401 without a token', async () => {
      const owner = await signupOwner(t);
      const bad = await t.patch('/api/accounts/me/members/42', { role: 'admin' }, { token: owner.tokens.access_token });
      expect(bad.status).toBe(422);
      const anonymous = await t.get('/api/accounts/me/members');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
      const garbage = await t.get('/api/accounts/me/members', { token: 'garbage' });
      expect(garbage.body.code).toBe('unauthenticated');
    });
  });
});
