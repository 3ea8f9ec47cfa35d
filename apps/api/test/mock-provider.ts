import { createServer } from 'node:net';
import { OAuth2Server } from 'oauth2-mock-server';
import { createTestApp, TestApp } from './test-app';

/** A port nobody listens on now, for the app to listen on (PUBLIC_URL must be known before it starts). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface AppWithProvider {
  /** The real OpenID Connect provider on loopback (`oauth2-mock-server`). */
  idp: OAuth2Server;
  t: TestApp;
  /** Where the app listens, as PUBLIC_URL says. */
  base: string;
  close(): Promise<void>;
}

/**
 * The app configured with one provider, `mock`, and listening on a real port, so the provider's
 * redirects reach it. `claims()` shapes the next ID token (the one whose audience is our client
 * id; the access token carries none) through the provider's `beforeTokenSigning` hook; the app's
 * log lines land in `lines`.
 */
export async function startAppWithMockProvider(
  claims: () => Record<string, unknown>,
  lines: string[],
  env: Record<string, string> = {},
): Promise<AppWithProvider> {
  const idp = new OAuth2Server();
  await idp.issuer.keys.generate('RS256');
  await idp.start(0, '127.0.0.1');
  idp.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    if (token.payload['aud'] === 'sessions-test') Object.assign(token.payload, claims());
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await createTestApp(
    {
      LOG_LEVEL: 'info',
      PUBLIC_URL: base,
      OIDC_PROVIDERS: 'mock',
      OIDC_MOCK_ISSUER: idp.issuer.url!,
      OIDC_MOCK_CLIENT_ID: 'sessions-test',
      OIDC_MOCK_CLIENT_SECRET: 'mock-client-secret',
      OIDC_MOCK_DISPLAY_NAME: 'Mock IdP',
      OIDC_ALLOW_INSECURE_LOOPBACK: 'true',
      ...env,
    },
    { logStream: { write: (line: string) => void lines.push(line) } },
  );
  await t.app.listen(port, '127.0.0.1');
  return {
    idp,
    t,
    base,
    close: async () => {
      await t.close();
      await idp.stop();
    },
  };
}
