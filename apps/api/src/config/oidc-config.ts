import { ConfigError } from './config-error';

/** What kind of provider: the presets get their issuer (and claim rules) from us. */
export type OidcProviderKind = 'google' | 'microsoft' | 'generic';

export interface OidcProviderConfig {
  /** Path segment and audit suffix (`oidc:<id>`): lower-case letters, digits and dashes. */
  id: string;
  displayName: string;
  kind: OidcProviderKind;
  /**
   * The issuer URL (discovery appends `/.well-known/openid-configuration`), or a full
   * discovery document URL. Microsoft's is always the bare issuer: only then does
   * openid-client apply Entra ID's `{tenantid}` issuer rule (openid-client #893).
   */
  issuer: string;
  clientId: string;
  /** Unset: a public client (PKCE alone authenticates the code exchange). */
  clientSecret: string | undefined;
  /** Plain-http issuer allowed: only for loopback issuers, and only when OIDC_ALLOW_INSECURE_LOOPBACK is set. */
  allowInsecure: boolean;
}

export interface OidcConfig {
  providers: OidcProviderConfig[];
  /**
   * The browser-facing origin of the app (scheme://host[:port]): the redirect URI is
   * `${publicUrl}/api/auth/oauth/<id>/callback` and the console lives at `${publicUrl}/`.
   * Required when a provider is configured; never guessed from a Host header.
   */
  publicUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

const ID = /^[a-z][a-z0-9-]{0,31}$/;
const PRESETS = ['google', 'microsoft'] as const;
/** Microsoft's multi-tenant names, or a tenant id (GUID) or verified domain. */
const MICROSOFT_TENANT =
  /^(common|organizations|consumers|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

const value = (env: Env, name: string): string | undefined => {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
};

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

function issuerUrl(name: string, raw: string, allowInsecureLoopback: boolean): { issuer: string; allowInsecure: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `'${raw}' is not a URL`);
  }
  if (url.search || url.hash || url.username || url.password)
    throw new ConfigError(name, 'must not carry a query, fragment or credentials');
  if (url.protocol === 'https:') return { issuer: url.href, allowInsecure: false };
  if (url.protocol === 'http:' && isLoopback(url)) {
    if (!allowInsecureLoopback)
      throw new ConfigError(name, 'is plain http: set OIDC_ALLOW_INSECURE_LOOPBACK=true (tests and local mocks only)');
    return { issuer: url.href, allowInsecure: true };
  }
  throw new ConfigError(name, 'must be an https:// URL');
}

function clientOf(env: Env, prefix: string): { clientId: string; clientSecret: string | undefined } | null {
  const clientId = value(env, `${prefix}_CLIENT_ID`);
  const clientSecret = value(env, `${prefix}_CLIENT_SECRET`);
  if (!clientId) {
    if (clientSecret) throw new ConfigError(`${prefix}_CLIENT_ID`, `is required when ${prefix}_CLIENT_SECRET is set`);
    return null;
  }
  return { clientId, clientSecret };
}

function google(env: Env): OidcProviderConfig | null {
  const client = clientOf(env, 'OIDC_GOOGLE');
  if (!client) return null;
  // Google's web clients are confidential: its token endpoint refuses a code without the secret.
  if (!client.clientSecret) throw new ConfigError('OIDC_GOOGLE_CLIENT_SECRET', 'is required with OIDC_GOOGLE_CLIENT_ID');
  return { id: 'google', displayName: 'Google', kind: 'google', issuer: 'https://accounts.google.com', allowInsecure: false, ...client };
}

function microsoft(env: Env): OidcProviderConfig | null {
  const client = clientOf(env, 'OIDC_MICROSOFT');
  if (!client) return null;
  const tenant = value(env, 'OIDC_MICROSOFT_TENANT') ?? 'common';
  if (!MICROSOFT_TENANT.test(tenant)) {
    throw new ConfigError('OIDC_MICROSOFT_TENANT', `'${tenant}' is not common, organizations, consumers, a tenant id or a domain`);
  }
  return {
    id: 'microsoft',
    displayName: 'Microsoft',
    kind: 'microsoft',
    issuer: `https://login.microsoftonline.com/${tenant.toLowerCase()}/v2.0`,
    allowInsecure: false,
    ...client,
  };
}

function generic(env: Env, id: string, allowInsecureLoopback: boolean): OidcProviderConfig {
  const prefix = `OIDC_${id.toUpperCase().replace(/-/g, '_')}`;
  const rawIssuer = value(env, `${prefix}_ISSUER`);
  if (!rawIssuer) throw new ConfigError(`${prefix}_ISSUER`, `is required for provider '${id}' (listed in OIDC_PROVIDERS)`);
  const client = clientOf(env, prefix);
  if (!client) throw new ConfigError(`${prefix}_CLIENT_ID`, `is required for provider '${id}' (listed in OIDC_PROVIDERS)`);
  const displayName = value(env, `${prefix}_DISPLAY_NAME`) ?? id;
  if (displayName.length > 60) throw new ConfigError(`${prefix}_DISPLAY_NAME`, 'must be at most 60 characters');
  return { id, displayName, kind: 'generic', ...issuerUrl(`${prefix}_ISSUER`, rawIssuer, allowInsecureLoopback), ...client };
}

function publicUrlOf(env: Env): string | undefined {
  const raw = value(env, 'PUBLIC_URL');
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `'${raw}' is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new ConfigError('PUBLIC_URL', 'must be https:// (plain http only on loopback)');
  }
  if (url.pathname !== '/' || url.search || url.hash)
    throw new ConfigError('PUBLIC_URL', 'must be an origin (scheme://host[:port]) without a path');
  return url.origin;
}

/**
 * The OpenID Connect providers: the Google and Microsoft presets when their client id
 * is set, and every id listed in OIDC_PROVIDERS with its own issuer. A provider
 * without configuration is simply absent.
 */
export function loadOidcConfig(env: Env, bool: (name: string, fallback: boolean) => boolean): OidcConfig {
  const allowInsecureLoopback = bool('OIDC_ALLOW_INSECURE_LOOPBACK', false);
  const providers = [google(env), microsoft(env)].filter((p): p is OidcProviderConfig => p !== null);
  const listed = (value(env, 'OIDC_PROVIDERS') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of listed) {
    if (!ID.test(id)) throw new ConfigError('OIDC_PROVIDERS', `'${id}' is not a provider id (a-z, 0-9, '-', at most 32)`);
    if ((PRESETS as readonly string[]).includes(id)) {
      throw new ConfigError('OIDC_PROVIDERS', `'${id}' is a preset: configure it with OIDC_${id.toUpperCase()}_CLIENT_ID instead`);
    }
    if (providers.some((p) => p.id === id)) throw new ConfigError('OIDC_PROVIDERS', `'${id}' is listed twice`);
    providers.push(generic(env, id, allowInsecureLoopback));
  }
  const publicUrl = publicUrlOf(env);
  if (providers.length > 0 && !publicUrl)
    throw new ConfigError('PUBLIC_URL', 'is required when a sign-in provider is configured (it makes the redirect URI)');
  return { providers, publicUrl };
}
