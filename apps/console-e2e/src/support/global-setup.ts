import { OAuth2Server } from 'oauth2-mock-server';
import { OIDC_CLIENT_ID, OIDC_ISSUER, OIDC_PORT, OIDC_USER } from './server';

/**
 * Starts the suite's OpenID Connect provider: it signs the demo engineer in at once
 * (no login form), with a verified email, in ID tokens signed by its own key. Every
 * authorization is a new login, so `auth_time` is now: what a provider honouring
 * `max_age=0` answers to a step-up (ADR 0020).
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const idp = new OAuth2Server();
  await idp.issuer.keys.generate('RS256');
  idp.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    if (token.payload['aud'] === OIDC_CLIENT_ID)
      Object.assign(token.payload, { ...OIDC_USER, email_verified: true, auth_time: Math.floor(Date.now() / 1000) });
  });
  // The issuer must be exactly what the API was configured with (it would otherwise say localhost).
  idp.issuer.url = OIDC_ISSUER;
  await idp.start(OIDC_PORT, '127.0.0.1');
  return () => idp.stop();
}
