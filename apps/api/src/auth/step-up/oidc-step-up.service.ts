import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService, ReauthenticationFailureReason } from '@sessions/audit';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { auditContext } from '../../common/audit-context';
import { StepUpRepository } from '../../common/auth/step-up.repository';
import type { AuthUser, ClientInfo } from '../../common/auth-user';
import { Clock } from '../../common/clock';
import type { OidcRefusal } from '../../common/oidc-refusals';
import { unauthenticated } from '../../common/problem';
import { APP_CONFIG } from '../../config/app-config';
import type { OidcProviderConfig } from '../../config/oidc-config';
import type { RuntimeConfig } from '../../config/runtime-config';
import { Transactions } from '../../database/transactions';
import { IdentitiesRepository } from '../../identities/identities.repository';
import { AuthLimits } from '../auth-limits.service';
import { OidcProviders, VerifiedIdentity } from '../oidc/oidc-providers.service';
import { OidcRefusalException } from '../oidc/oidc-refusal';
import { OIDC_STATE_TTL_SECONDS, OidcFlowState, StepUpFlow } from '../oidc/oidc-state';
import type { Reauthenticated } from './reauthentication.service';

/**
 * Step-up through the user's linked provider (issue 15, ADR 0020): the provider is asked for
 * a fresh interactive login (`max_age=0`, `prompt=login`), and the callback stamps the
 * *existing* session — the one the flow was started from — like the password step-up: no new
 * session, no new tokens, `auth_time` (the absolute deadline) unchanged.
 */
@Injectable()
export class OidcStepUpService {
  private readonly logger = new Logger(OidcStepUpService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly providers: OidcProviders,
    private readonly limits: AuthLimits,
    private readonly stepUp: StepUpRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * The provider's authorization URL and the flow to seal, bound to the caller's session.
   * Refused unless the caller has an identity of this provider linked and the account still
   * accepts the provider. Takes a point of the password-check limiter (one budget per user for
   * every way of stepping up); success at the callback gives it back.
   */
  async start(caller: AuthUser, provider: OidcProviderConfig, returnTo: string): Promise<{ url: URL; flow: OidcFlowState }> {
    if (!(await this.stepUp.lastAuthenticatedAt(caller))) throw unauthenticated('The session has ended.');
    const linked = await this.identities.listForUser(caller.accountId, caller.userId);
    if (!linked.some((identity) => identity.provider === provider.id)) {
      throw new OidcRefusalException('oidc_reauthentication_wrong_identity', 'identity_not_linked');
    }
    const account = await this.accounts.findAccount(caller.accountId);
    if (account?.allowedSignInProviders && !account.allowedSignInProviders.includes(provider.id)) {
      throw new OidcRefusalException('oidc_provider_not_allowed', 'provider_not_allowed');
    }
    await this.limits.admitPasswordCheck(caller.userId);
    const started = await this.providers.authorizationRequest(provider, true);
    const now = this.clock.now();
    const stepUp: StepUpFlow = {
      accountId: caller.accountId,
      userId: caller.userId,
      sessionId: caller.sessionId,
      startedAt: now.getTime(),
      returnTo,
    };
    return {
      url: started.url,
      flow: {
        provider: provider.id,
        state: started.state,
        codeVerifier: started.codeVerifier,
        nonce: started.nonce,
        expiresAt: Math.floor(now.getTime() / 1000) + OIDC_STATE_TTL_SECONDS,
        stepUp,
      },
    };
  }

  /**
   * The callback of a step-up flow whose state and ID token (signature, issuer, audience,
   * nonce, expiry) were verified: checks the login is fresh and the identity is this user's,
   * then stamps the session once (a replay of the same flow finds it stamped since the start).
   */
  async finish(provider: OidcProviderConfig, flow: StepUpFlow, identity: VerifiedIdentity, client: ClientInfo): Promise<Reauthenticated> {
    const method = `oidc:${provider.id}` as const;
    if (identity.authTime === null) return this.refuse(flow, client, method, 'oidc_reauthentication_stale', 'auth_time_missing');
    // auth_time is whole seconds: the login must be in or after the second the flow started.
    if (identity.authTime < Math.floor(flow.startedAt / 1000)) {
      return this.refuse(flow, client, method, 'oidc_reauthentication_stale', 'auth_time_stale');
    }
    const linked = await this.identities.findBySubject(provider.id, identity.subject);
    if (!linked) return this.refuse(flow, client, method, 'oidc_reauthentication_wrong_identity', 'identity_not_linked');
    if (linked.userId !== flow.userId || linked.accountId !== flow.accountId) {
      return this.refuse(flow, client, method, 'oidc_reauthentication_wrong_identity', 'identity_of_other_user');
    }
    const account = await this.accounts.findAccount(flow.accountId);
    if (account?.allowedSignInProviders && !account.allowedSignInProviders.includes(provider.id)) {
      return this.refuse(flow, client, method, 'oidc_provider_not_allowed', 'provider_not_allowed');
    }
    const now = this.clock.now();
    const stamped = await this.transactions.run(async () => {
      const at = await this.stepUp.stampOnce(flow, now, new Date(flow.startedAt));
      if (!at) return null;
      await this.audit.record(auditContext(flow, client, now), {
        action: 'auth.reauthenticated',
        resourceType: 'session',
        resourceId: flow.sessionId,
        details: { method },
      });
      return at;
    });
    if (!stamped) {
      const live = await this.stepUp.lastAuthenticatedAt(flow);
      if (!live) return this.refuse(flow, client, method, 'oidc_reauthentication_session_ended', 'session_ended');
      return this.refuse(flow, client, method, 'oidc_state_mismatch', 'replayed');
    }
    await this.limits.passwordCheckPassed(flow.userId);
    const maxAgeSeconds = this.config.stepUpMaxAgeSeconds;
    return { authenticatedAt: stamped, maxAgeSeconds, freshUntil: new Date(stamped.getTime() + maxAgeSeconds * 1000) };
  }

  /**
   * Before the code exchange: a flow whose session has ended, or that stamped it already (the
   * same callback presented again), is refused and audited here — a real provider would refuse
   * the reused code too, but then nobody would be told in the account's audit log.
   */
  async beforeExchange(provider: OidcProviderConfig, flow: StepUpFlow, client: ClientInfo): Promise<void> {
    const method = `oidc:${provider.id}` as const;
    const session = await this.stepUp.stampOf(flow);
    if (!session.live) return this.refuse(flow, client, method, 'oidc_reauthentication_session_ended', 'session_ended');
    if (session.reauthenticatedAt && session.reauthenticatedAt.getTime() >= flow.startedAt) {
      return this.refuse(flow, client, method, 'oidc_state_mismatch', 'replayed');
    }
  }

  /** A sealed step-up flow that came back after its ten minutes: audited in its account, then refused. */
  async expired(provider: OidcProviderConfig, flow: StepUpFlow, client: ClientInfo): Promise<never> {
    return this.refuse(flow, client, `oidc:${provider.id}`, 'oidc_state_mismatch', 'flow_expired');
  }

  /** Audited in the session's account (the flow proves whose session it was), logged, thrown. */
  private async refuse(
    flow: StepUpFlow,
    client: ClientInfo,
    method: `oidc:${string}`,
    refusal: OidcRefusal,
    reason: ReauthenticationFailureReason,
  ): Promise<never> {
    await this.transactions.run(() =>
      this.audit.record(auditContext(flow, client, this.clock.now()), {
        action: 'auth.reauthentication_failed',
        resourceType: 'session',
        resourceId: flow.sessionId,
        details: { method, reason },
      }),
    );
    this.logger.log({ event: 'auth.reauthentication_failed', method, code: refusal, reason, ip: client.ip }, 'step-up refused');
    throw new OidcRefusalException(refusal, reason);
  }
}
