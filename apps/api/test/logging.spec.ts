import { addMember, login, refresh, signupOwner } from './builders';
import { createTestApp, TestApp } from './test-app';

describe('structured logs', () => {
  const lines: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => t.close());

  it('echo the request id, or make one', async () => {
    expect((await t.get('/api/health', { headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id']).toBe('abc-123');
    const generated = (await t.get('/api/health', { headers: { 'x-request-id': 'bad id with spaces' } })).headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('log every request as JSON with a request id, and never a password or a token', async () => {
    const owner = await signupOwner(t, { password: 'very-secret-password-1' });
    const member = await addMember(t, owner, 'engineer');
    await t.post('/api/auth/login/json', { email: owner.email, password: 'wrong-secret-password-2' });
    const tokens = await login(t, owner.email, 'very-secret-password-1', { headers: { 'x-request-id': 'trace-abc-123' } });
    const rotated = await refresh(t, tokens.refresh_token);
    await t.post(
      '/api/auth/password',
      { current_password: 'very-secret-password-1', new_password: 'another-secret-pass-3' },
      { token: rotated.body.access_token },
    );
    await t.post(
      '/api/auth/logout',
      {},
      { headers: { 'x-token-transport': 'cookie' }, cookies: { sessions_refresh: rotated.body.refresh_token } },
    );
    await t.get('/api/auth/me', { token: member.tokens.access_token });
    // Tokens a client wrongly puts in the URL: the request is still logged, the token is not.
    await t.get(`/api/auth/me?access_token=${member.tokens.access_token}`);
    await t.get(`/api/me/sessions?refresh_token=${tokens.refresh_token}&token=${rotated.body.access_token}&Id_Token=x.y.z-secret`);

    expect(lines.length).toBeGreaterThan(5);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, any>);
    expect(entries.some((entry) => entry['req']?.id === 'trace-abc-123')).toBe(true);
    expect(
      entries
        .filter((entry) => entry['msg'] === 'request completed')
        .every((entry) => typeof entry['req']?.id === 'string' && entry['res']?.statusCode > 0),
    ).toBe(true);
    const urls = entries.map((entry) => String(entry['req']?.url ?? ''));
    expect(urls).toContain('/api/auth/me?access_token=[redacted]');
    expect(urls).toContain('/api/me/sessions?refresh_token=[redacted]&token=[redacted]&Id_Token=[redacted]');
    const all = lines.join('\n');
    const secrets = [
      'very-secret-password-1',
      'wrong-secret-password-2',
      'another-secret-pass-3',
      member.password,
      tokens.access_token,
      tokens.refresh_token,
      rotated.body.access_token,
      rotated.body.refresh_token,
      member.tokens.access_token,
      'x.y.z-secret',
    ];
    for (const secret of secrets) expect(all).not.toContain(secret);
    // Signatures of JWTs are the secret part: none may appear either.
    for (const token of [tokens.refresh_token, rotated.body.refresh_token]) expect(all).not.toContain(token.split('.')[2]);
  });
});

describe('LOG_REQUESTS (issue 11)', () => {
  const started = async (env: Record<string, string>) => {
    const lines: string[] = [];
    const t = await createTestApp({ LOG_LEVEL: 'info', ...env }, { logStream: { write: (line: string) => void lines.push(line) } });
    const completed = () =>
      lines
        .map((line) => JSON.parse(line) as Record<string, any>)
        .filter((entry) => entry['msg'] === 'request completed' || entry['msg'] === 'request errored')
        .map((entry) => `${entry['req']?.url} ${entry['res']?.statusCode}`);
    return { t, completed };
  };

  it('errors: logs answers of 400 and above, not the successes of the hot paths', async () => {
    const { t, completed } = await started({ LOG_REQUESTS: 'errors' });
    try {
      const owner = await signupOwner(t);
      const tokens = await login(t, owner.email, owner.password);
      await refresh(t, tokens.refresh_token);
      await t.get('/api/auth/me', { token: tokens.access_token });
      await t.post('/api/auth/refresh', { refresh_token: 'not-a-token' });
      await t.get('/api/auth/me');
      expect(completed()).toEqual(['/api/auth/refresh 401', '/api/auth/me 401']);
    } finally {
      await t.close();
    }
  });

  it('errors: logs a success slower than LOG_SLOW_REQUEST_MS; off: logs no request line', async () => {
    const slow = await started({ LOG_REQUESTS: 'errors', LOG_SLOW_REQUEST_MS: '1' });
    try {
      // A sign-up hashes with argon2: comfortably longer than 1 ms.
      await signupOwner(slow.t);
      expect(slow.completed()).toEqual(['/api/auth/signup 201']);
    } finally {
      await slow.t.close();
    }
    const off = await started({ LOG_REQUESTS: 'off' });
    try {
      await signupOwner(off.t);
      await off.t.get('/api/auth/me');
      expect(off.completed()).toEqual([]);
    } finally {
      await off.t.close();
    }
  });
});
