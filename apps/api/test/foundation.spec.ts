import { createTestApp, TestApp } from './test-app';
import { login, signupOwner } from './builders';

describe('foundation (real PostgreSQL, through HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports health with a live database', async () => {
    const response = await t.get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('signs up and then signs in', async () => {
    const owner = await signupOwner(t);
    const tokens = await login(t, owner.email, owner.password);
    expect(tokens.token_type).toBe('bearer');
    const me = await t.get('/api/auth/me', { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: owner.email, role: 'owner', account_id: owner.accountId });
  });
});
