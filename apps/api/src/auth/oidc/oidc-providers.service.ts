import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG } from '../../config/app-config';
import type { OidcProviderConfig } from '../../config/oidc-config';
import type { RuntimeConfig } from '../../config/runtime-config';
import { OidcRefusalException } from './oidc-refusal';
import { callbackPath } from './oidc-state';

/** The verified claims this product uses from an ID token. */
export interface VerifiedIdentity {
  /** Unique per provider: `sub`, or `tid:sub` for Microsoft, whose issuer differs per tenant. */
  subject: string;
  email: string | null;
  emailVerified: boolean;
  /** The ID token's `auth_time` (Unix seconds), null when absent: step-up needs it (ADR 0020). */
  authTime: number | null;
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  codeVerifier: string;
  nonce: string;
}

/** Seconds openid-client waits for a provider (discovery, JWKS, token endpoint). */
const PROVIDER_TIMEOUT_SECONDS = 5;

/**
 * The configured providers, on openid-client: discovery (cached per process once it
 * succeeded — provider metadata, not user state), the authorization URL with PKCE
 * (S256), state and nonce, and the code exchange with every check of the ID token
 * (signature — see enableNonRepudiationChecks —, issuer, audience, nonce, expiry) done by the library.
 */
@Injectable()
export class OidcProviders {
  private readonly logger = new Logger(OidcProviders.name);
  private readonly discovered = new Map<string, Promise<oidc.Configuration>>();

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  list(): OidcProviderConfig[] {
    return this.config.oidc.providers;
  }

  find(id: string): OidcProviderConfig | undefined {
    return this.config.oidc.providers.find((p) => p.id === id);
  }

  redirectUri(provider: OidcProviderConfig): string {
    return `${this.config.oidc.publicUrl}${callbackPath(provider.id)}`;
  }

  /**
   * `reauthenticate`: a step-up (ADR 0020) — `max_age=0` and `prompt=login` ask the provider
   * for a fresh interactive login, whose `auth_time` the callback checks (a provider may
   * ignore both, so the check is ours, not theirs).
   */
  async authorizationRequest(provider: OidcProviderConfig, reauthenticate = false): Promise<AuthorizationRequest> {
    const configuration = await this.configuration(provider);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(provider),
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      // Let people with several Google/Microsoft accounts pick the right one.
      ...(reauthenticate ? { max_age: '0', prompt: 'login' } : provider.kind === 'generic' ? {} : { prompt: 'select_account' }),
    });
    return { url, state, codeVerifier, nonce };
  }

  /** Exchanges the code of `callbackQuery` and verifies the ID token; refusals are {@link OidcRefusalException}. */
  async exchange(
    provider: OidcProviderConfig,
    callbackQuery: string,
    checks: { state: string; codeVerifier: string; nonce: string },
  ): Promise<VerifiedIdentity> {
    const configuration = await this.configuration(provider);
    const currentUrl = new URL(`${this.redirectUri(provider)}?${callbackQuery}`);
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw this.refusalOf(provider, error);
    }
    if (!claims) throw new OidcRefusalException('oidc_invalid_id_token', 'id_token_missing');
    return identityOf(provider, claims);
  }

  private configuration(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    let pending = this.discovered.get(provider.id);
    if (!pending) {
      pending = this.discover(provider);
      this.discovered.set(provider.id, pending);
      // A failed discovery is retried by the next sign-in, not cached.
      pending.catch(() => this.discovered.delete(provider.id));
    }
    return pending.catch((error: unknown) => {
      this.logger.warn(
        { event: 'oidc.discovery_failed', provider: provider.id, error: (error as Error).message },
        'provider discovery failed',
      );
      throw new OidcRefusalException('oidc_unavailable', 'discovery_failed');
    });
  }

  private async discover(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    const configuration = await oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, {
      // Plain http only for a loopback issuer that the operator allowed (tests, local mocks).
      execute: provider.allowInsecure ? [oidc.allowInsecureRequests] : [],
      timeout: PROVIDER_TIMEOUT_SECONDS,
    });
    configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
    // By default openid-client trusts the TLS channel for an ID token that comes straight
    // from the token endpoint (OIDC Core §3.1.3.7) and skips its signature. We check it
    // against the provider's published keys anyway: defence in depth, and the only proof
    // when a loopback provider is spoken to over plain http.
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  }

  /** Sorts the library's errors into the contract's refusals; the message is logged, never the code or tokens. */
  private refusalOf(provider: OidcProviderConfig, error: unknown): OidcRefusalException {
    const code = (error as { code?: string }).code;
    const log = (reason: string) =>
      this.logger.log(
        { event: 'oidc.exchange_refused', provider: provider.id, reason, error: (error as Error).message },
        'code exchange refused',
      );
    if (error instanceof oidc.ResponseBodyError || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
      log('code_rejected');
      return new OidcRefusalException('oidc_exchange_failed', 'code_rejected');
    }
    if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
      const claim = claimOf(error) ?? 'unknown';
      const reason =
        code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED'
          ? claim === 'exp'
            ? 'id_token_expired'
            : `id_token_${claim}_invalid`
          : `${claim}_mismatch`;
      log(reason);
      return new OidcRefusalException('oidc_invalid_id_token', reason);
    }
    if (error instanceof oidc.ClientError || error instanceof oidc.AuthorizationResponseError) {
      log('invalid_response');
      return new OidcRefusalException('oidc_invalid_id_token', 'invalid_response');
    }
    // fetch failures and timeouts
    log('unreachable');
    return new OidcRefusalException('oidc_unavailable', 'unreachable');
  }
}

/** The claim a comparison or timestamp check failed on (openid-client wraps oauth4webapi's error). */
function claimOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const cause = (current as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && typeof (cause as { claim?: unknown }).claim === 'string')
      return (cause as { claim: string }).claim;
    current = cause;
  }
  return undefined;
}

/** What the identity table holds (`subject` varchar(255), `email` varchar(320), as users.email). */
const MAX_SUBJECT = 255;
const MAX_EMAIL = 320;

function identityOf(provider: OidcProviderConfig, claims: oidc.IDToken): VerifiedIdentity {
  const email = typeof claims['email'] === 'string' ? claims['email'].trim().toLowerCase() : null;
  // A provider's claims are input like any other: oversized ones are refused, not a 500.
  if ((email && (email.length > MAX_EMAIL || !/^[^@\s]+@[^@\s]+$/.test(email))) || claims.sub.length > MAX_SUBJECT - 40) {
    throw new OidcRefusalException('oidc_invalid_id_token', 'claim_too_long_or_malformed');
  }
  // Microsoft does not send `email_verified`; `xms_edov` (an optional claim the app
  // registration must request) says the email's domain is verified by its tenant.
  const emailVerified = claims['email_verified'] === true || (provider.kind === 'microsoft' && claims['xms_edov'] === true);
  const subject = provider.kind === 'microsoft' ? `${String(claims['tid'] ?? '')}:${claims.sub}` : claims.sub;
  const authTime = typeof claims.auth_time === 'number' && Number.isFinite(claims.auth_time) ? claims.auth_time : null;
  return { subject, email, emailVerified, authTime };
}
