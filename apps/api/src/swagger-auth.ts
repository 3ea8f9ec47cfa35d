import type { RefreshRefusal, SessionEndReason } from '@sessions/session-policy';
import type { FastifyInstance } from 'fastify';

/**
 * Swagger UI's "Authorize" (OAuth2 password flow) for an ops person who keeps the page open:
 *
 * - the token request asks for the cookie transport, so the refresh token goes into the API's
 *   HttpOnly cookie and never into the page (nor into Swagger's persisted `localStorage`);
 * - before a "Try it out" call whose access token has expired (by the browser's clock), it
 *   renews once through `POST /api/auth/refresh` (single-use rotation, the cookie again) and
 *   sends the call with the new token;
 * - when a renewal is refused — or a call is refused with 401 and the renewal then is — it
 *   signs Swagger out and says why, from the refusal's `code` and `reason` members;
 * - the password (and the ignored client secret) are dropped before Swagger stores the
 *   authorization, which `persistAuthorization` would otherwise write to `localStorage`.
 *
 * CSP allows same-origin script files only, so this is served as a file
 * (`/api/docs/sessions-auth.js`), hooked in through `swaggerOptions` (see swagger.ts).
 */
export const SWAGGER_AUTH_SCRIPT_PATH = '/api/docs/sessions-auth.js';
export const SWAGGER_AUTH_STYLE_PATH = '/api/docs/sessions-auth.css';

/** The password-flow fields the API ignores: client credentials, their location, the scopes text (none are declared). */
const SWAGGER_AUTH_STYLE = `
.swagger-ui .auth-wrapper .scope-def,
.swagger-ui .auth-container .wrapper:has(> label[for="password_type"]),
.swagger-ui .auth-container .wrapper:has(> label[for^="client_id_"]),
.swagger-ui .auth-container .wrapper:has(> label[for^="client_secret_"]) { display: none; }
.sessions-auth-notice { box-sizing: border-box; max-width: 1460px; margin: 12px auto; padding: 12px 20px;
  font: 14px/1.5 sans-serif; color: #3b2a00; background: #fff4d6; border: 1px solid #c08a00; border-radius: 4px; }
.sessions-auth-notice[hidden] { display: none; }
.sessions-auth-notice strong { display: block; }
`;

// --- What the browser script touches (types only; the function below runs in the page). ---
interface ImmutableLike {
  get(key: string): ImmutableLike | undefined;
  toJS(): Record<string, unknown>;
}
interface SwaggerSystem {
  authSelectors: { authorized(): ImmutableLike };
  authActions: {
    authorizeOauth2WithPersistOption(payload: { auth: Record<string, unknown>; token: TokenAnswer }): void;
    logoutWithPersistOption(names: string[]): void;
  };
}
interface SwaggerRequest {
  url: string;
  method?: string;
  headers: Record<string, string>;
}
interface SwaggerResponse {
  url: string;
  status: number;
  statusText?: string;
  body?: unknown;
  data?: unknown;
}
interface TokenAnswer {
  access_token: string;
  expires_in: number;
  /** Added here: when the access token expires by this browser's clock (ms). */
  sessions_expires_at?: number;
  [key: string]: unknown;
}
interface Problem {
  code?: string;
  reason?: string;
  detail?: string;
}
interface Element {
  hidden: boolean;
  id: string;
  className: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
  replaceChildren(...nodes: Element[]): void;
}
interface PageGlobal {
  ui?: SwaggerSystem;
  document: {
    getElementById(id: string): Element | null;
    createElement(tag: string): Element;
    body: { prepend(node: Element): void };
  };
  SessionsSwaggerAuth?: unknown;
}

/**
 * What the notice says after "signed out because": for every refusal code and end reason of
 * `@sessions/session-policy` (exhaustive by type, so a new one cannot ship without words),
 * handed to the page script as JSON.
 */
const SIGNED_OUT_BECAUSE: Record<RefreshRefusal | SessionEndReason, string> = {
  session_expired_idle: 'it was inactive for too long',
  expired_idle: 'it was inactive for too long',
  session_expired_absolute: 'it reached its maximum length',
  expired_absolute: 'it reached its maximum length',
  signed_out_elsewhere: 'it was signed out from another device',
  revoked_by_owner: "your account's owner signed it out",
  role_changed: "your account's owner changed your role",
  user_deactivated: "your account's owner deactivated your access",
  password_changed: 'your password was changed',
  refresh_reuse: 'its refresh token was used twice (signed out for your security)',
  session_limit: 'you signed in on too many devices and this one was used least recently',
  signed_out: 'you signed out',
  invalid_refresh_token: 'its refresh token is no longer valid',
};

/** Runs in the page (stringified into the served file): no imports, no outer variables; `REASONS` is passed in. */
function swaggerAuthInPage(REASONS: Record<string, string>): void {
  const page = globalThis as unknown as PageGlobal;
  const SCHEME = 'oauth2';
  const TOKEN_PATH = '/api/auth/login';
  const REFRESH_PATH = '/api/auth/refresh';
  const LOGOUT_PATH = '/api/auth/logout';
  /** Renew this long before the access token's own expiry, so a slow call does not arrive late. */
  const EARLY_MS = 15_000;

  let renewing: Promise<string | null> | null = null;

  const pathOf = (url: string) => {
    try {
      return new URL(url, 'http://x').pathname;
    } catch {
      return '';
    }
  };
  const currentAuth = (): Record<string, unknown> | null => {
    const entry = page.ui?.authSelectors.authorized().get(SCHEME);
    return entry ? entry.toJS() : null;
  };
  const currentToken = (): TokenAnswer | null => (currentAuth()?.['token'] as TokenAnswer | undefined) ?? null;
  const bearerOf = (headers: Record<string, string>) => {
    const key = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
    return key ? { key, value: headers[key] } : null;
  };

  function notice(): Element {
    let element = page.document.getElementById('sessions-auth-notice');
    if (!element) {
      element = page.document.createElement('div');
      element.id = 'sessions-auth-notice';
      element.className = 'sessions-auth-notice';
      element.setAttribute('role', 'alert');
      element.hidden = true;
      page.document.body.prepend(element);
    }
    return element;
  }
  function showEnded(problem: Problem): void {
    const why = REASONS[problem.reason ?? ''] ?? REASONS[problem.code ?? ''] ?? 'it is no longer valid';
    const title = page.document.createElement('strong');
    title.textContent = `Your session ended: ${why}.`;
    const detail = page.document.createElement('span');
    const members = [problem.code && `code: ${problem.code}`, problem.reason && `reason: ${problem.reason}`].filter(Boolean).join(', ');
    detail.textContent = `Sign in again with "Authorize" to continue.${members ? ` (${members})` : ''}`;
    const element = notice();
    element.replaceChildren(title, detail);
    element.hidden = false;
  }
  function hideNotice(): void {
    const element = page.document.getElementById('sessions-auth-notice');
    if (element) element.hidden = true;
  }

  /** One renewal at a time: the refresh token is single use, so parallel calls share it. */
  function renew(): Promise<string | null> {
    if (!renewing) {
      renewing = (async () => {
        const auth = currentAuth();
        if (!auth) return null;
        let response: Response;
        try {
          response = await fetch(REFRESH_PATH, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-token-transport': 'cookie' },
            body: '{}',
          });
        } catch {
          return null; // offline: keep the authorization, the call itself will tell
        }
        const body = (await response.json().catch(() => ({}))) as TokenAnswer & Problem;
        if (response.ok && typeof body.access_token === 'string') {
          page.ui?.authActions.authorizeOauth2WithPersistOption({ auth, token: body });
          return body.access_token;
        }
        if (response.status === 401) {
          showEnded(body);
          page.ui?.authActions.logoutWithPersistOption([SCHEME]);
        }
        return null;
      })().finally(() => {
        renewing = null;
      });
    }
    return renewing;
  }

  async function requestInterceptor(request: SwaggerRequest): Promise<SwaggerRequest> {
    const path = pathOf(request.url);
    if (path === TOKEN_PATH) {
      // The refresh token into the HttpOnly cookie, never into the page; no client credentials.
      request.headers['X-Token-Transport'] = 'cookie';
      const basic = bearerOf(request.headers);
      if (basic && basic.value.startsWith('Basic ')) delete request.headers[basic.key];
      return request;
    }
    const token = currentToken();
    const sent = bearerOf(request.headers);
    if (!token || !sent || sent.value !== `Bearer ${token.access_token}`) return request;
    if (typeof token.sessions_expires_at === 'number' && Date.now() < token.sessions_expires_at - EARLY_MS) return request;
    const renewed = await renew();
    if (renewed) request.headers[sent.key] = `Bearer ${renewed}`;
    return request;
  }

  async function responseInterceptor(response: SwaggerResponse): Promise<SwaggerResponse> {
    const path = pathOf(response.url);
    const problem = (response.body ?? {}) as Problem;
    if (path === TOKEN_PATH && response.status >= 400 && problem.detail) {
      // Swagger shows the status text of a refused sign-in: show the API's words instead.
      response.statusText = `${problem.detail}${problem.code ? ` (${problem.code})` : ''}`;
    } else if (response.status === 401 && path !== REFRESH_PATH && path !== LOGOUT_PATH && currentToken()) {
      // The session ended under a live access token (revoked elsewhere): the renewal says why.
      await renew();
    }
    return response;
  }

  /** A Swagger UI plugin: stamps the expiry on every token, keeps no password, logs out at the API too. */
  function plugin() {
    return {
      statePlugins: {
        auth: {
          wrapActions: {
            authorizeOauth2:
              (original: (payload: unknown) => unknown) => (payload: { auth: Record<string, unknown>; token: TokenAnswer }) => {
                hideNotice();
                const auth = { ...payload.auth, password: undefined, clientSecret: undefined };
                const expiresIn = Number(payload.token.expires_in) || 0;
                const token = { ...payload.token, sessions_expires_at: Date.now() + expiresIn * 1000 };
                return original({ auth, token });
              },
            logout: (original: (names: unknown) => unknown) => (names: unknown) => {
              if (Array.isArray(names) && names.includes(SCHEME) && currentToken()) {
                // Ends the session and clears the cookie; idempotent, so a dead session is fine.
                void fetch(LOGOUT_PATH, {
                  method: 'POST',
                  credentials: 'same-origin',
                  headers: { 'content-type': 'application/json', 'x-token-transport': 'cookie' },
                  body: '{}',
                }).catch(() => undefined);
              }
              return original(names);
            },
          },
        },
      },
    };
  }

  page.SessionsSwaggerAuth = { plugin, requestInterceptor, responseInterceptor };
}

export const SWAGGER_AUTH_SCRIPT = `(${swaggerAuthInPage.toString()})(${JSON.stringify(SIGNED_OUT_BECAUSE)});\n`;

/**
 * The hooks in Swagger UI's options. They are stringified into swagger-ui-init.js (a served
 * file) by @nestjs/swagger and only reach for what the script above defined.
 */
export const swaggerAuthOptions = {
  requestInterceptor: (request: unknown) =>
    (globalThis as unknown as { SessionsSwaggerAuth: { requestInterceptor(r: unknown): unknown } }).SessionsSwaggerAuth.requestInterceptor(
      request,
    ),
  responseInterceptor: (response: unknown) =>
    (
      globalThis as unknown as { SessionsSwaggerAuth: { responseInterceptor(r: unknown): unknown } }
    ).SessionsSwaggerAuth.responseInterceptor(response),
  // Replaces the default list, so it brings back DownloadUrl (the top bar needs it).
  plugins: [
    () => (globalThis as unknown as { SwaggerUIBundle: { plugins: { DownloadUrl: unknown } } }).SwaggerUIBundle.plugins.DownloadUrl,
    () => (globalThis as unknown as { SessionsSwaggerAuth: { plugin(): unknown } }).SessionsSwaggerAuth.plugin(),
  ],
};

/** Serves the script and the style from this origin (CSP `script-src 'self'`). */
export function registerSwaggerAuthAssets(fastify: FastifyInstance): void {
  fastify.get(SWAGGER_AUTH_SCRIPT_PATH, (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(SWAGGER_AUTH_SCRIPT),
  );
  fastify.get(SWAGGER_AUTH_STYLE_PATH, (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/css; charset=utf-8').send(SWAGGER_AUTH_STYLE),
  );
}
