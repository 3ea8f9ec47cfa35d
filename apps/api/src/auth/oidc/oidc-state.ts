import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What must survive from `/authorize` to `/callback` — the state, the PKCE verifier
 * and the nonce — kept in the browser that started the flow, sealed (AES-256-GCM,
 * key derived from the refresh-token secret) in a short-lived HttpOnly cookie scoped
 * to the provider's callback path. No server memory: any replica can finish a flow
 * another started, and nothing is left behind by flows that never come back.
 * Binding to the browser is the point of `state` (RFC 9700 §4.7): a callback carried
 * into another browser lacks the cookie and is refused.
 */
export interface OidcFlowState {
  provider: string;
  state: string;
  codeVerifier: string;
  nonce: string;
  /** Unix seconds after which the flow is refused. */
  expiresAt: number;
  /** Present when the flow is a step-up of an existing session, not a sign-in (ADR 0020). */
  stepUp?: StepUpFlow;
}

/** The session a step-up flow was started for, and where the console resumes. */
export interface StepUpFlow {
  accountId: string;
  userId: string;
  sessionId: string;
  /** Milliseconds (the injected clock): the ID token's `auth_time` must not be older. */
  startedAt: number;
  /** A console path (`/…`, validated at the start) the browser returns to. */
  returnTo: string;
}

export const OIDC_STATE_COOKIE = 'sessions_oidc';
/** Ten minutes to sign in at the provider; longer flows start again. */
export const OIDC_STATE_TTL_SECONDS = 600;

export const callbackPath = (provider: string) => `/api/auth/oauth/${provider}/callback`;

export class OidcStateSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'sessions', 'oidc-flow-state/v1', 32));
  }

  seal(flow: OidcFlowState): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(flow.provider));
    const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The flow of `provider` sealed in `value`, or null when absent, forged, of another provider or expired. */
  open(value: string | undefined, provider: string, nowSeconds: number): OidcFlowState | null {
    const flow = this.openEvenExpired(value, provider);
    return flow && flow.expiresAt > nowSeconds ? flow : null;
  }

  /** As {@link open} but also an expired flow (a step-up's expiry is audited in its account). */
  openEvenExpired(value: string | undefined, provider: string): OidcFlowState | null {
    if (!value || value.length > 2048) return null;
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 12 + 16 + 1) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(provider));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const json = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      const flow = JSON.parse(json) as OidcFlowState;
      if (flow.provider !== provider || typeof flow.expiresAt !== 'number') return null;
      return flow;
    } catch {
      return null;
    }
  }
}

/** Constant-time comparison of the returned `state` with the sealed one. */
export function sameState(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
