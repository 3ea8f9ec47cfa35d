import { Injectable, Logger } from '@nestjs/common';
import { AuditService, LoginFailureReason } from '@sessions/audit';
import { AccountsRepository } from '../../accounts/accounts.repository';
import type { AccountEntity } from '../../accounts/account.entity';
import type { UserEntity } from '../../accounts/user.entity';
import { auditContext } from '../../common/audit-context';
import type { ClientInfo } from '../../common/auth-user';
import { Clock } from '../../common/clock';
import type { OidcRefusal } from '../../common/oidc-refusals';
import type { OidcProviderConfig } from '../../config/oidc-config';
import { Transactions } from '../../database/transactions';
import { IdentitiesRepository } from '../../identities/identities.repository';
import type { UserIdentityEntity } from '../../identities/user-identity.entity';
import { SignInService } from '../sign-in.service';
import type { TokenPair } from '../token.types';
import type { VerifiedIdentity } from './oidc-providers.service';
import { OidcRefusalException } from './oidc-refusal';

/** The email's domain, lower-case. */
export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * From a verified identity to a session: find the user (by the linked subject, else
 * by verified email — and then link), apply the account's sign-in policy, and start
 * the session through the very path password sign-in takes. Never creates a user or
 * an account.
 */
@Injectable()
export class OidcSignInService {
  private readonly logger = new Logger(OidcSignInService.name);

  constructor(
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly signIn: SignInService,
    private readonly audit: AuditService,
  ) {}

  async signInWith(provider: OidcProviderConfig, identity: VerifiedIdentity, client: ClientInfo): Promise<TokenPair> {
    if (!identity.email || !identity.emailVerified) throw new OidcRefusalException('oidc_email_unverified');
    const email = identity.email;
    const linked = await this.identities.findBySubject(provider.id, identity.subject);
    const user = linked ? await this.accounts.findUser(linked.accountId, linked.userId) : await this.accounts.findUserByEmail(email);
    if (!user) throw new OidcRefusalException('oidc_unknown_user', linked ? 'linked_user_gone' : 'unknown_email');
    const account = await this.accounts.findAccount(user.accountId);
    if (!account) throw new OidcRefusalException('oidc_unknown_user', 'account_gone');
    const refusal = this.policyRefusal(provider, account, user, email);
    if (refusal) await this.refuse(provider, user, client, refusal[0], refusal[1]);

    return this.transactions.run(async () => {
      const now = this.clock.now();
      if (linked) {
        await this.identities.touch(linked.id, email, now);
      } else {
        const { identity: link, created } = await this.identities.link(
          { accountId: user.accountId, userId: user.id, provider: provider.id, subject: identity.subject, email },
          now,
        );
        // A concurrent first sign-in linked it already; to someone else it would be a race on one email, so refuse.
        if (!created && !this.sameUser(link, user)) throw new OidcRefusalException('oidc_unknown_user', 'linked_elsewhere');
        if (created) {
          await this.audit.record(auditContext({ accountId: user.accountId, userId: user.id }, client, now), {
            action: 'identity.linked',
            resourceType: 'user',
            resourceId: user.id,
            details: { user_id: user.id, provider: provider.id, by: 'email_match' },
          });
        }
      }
      return this.signIn.startSession(user, client, `oidc:${provider.id}`);
    });
  }

  /**
   * Logs a refusal that has no account to audit in (what was presented proved nothing
   * about anyone). Nothing secret: no code, no token, no state, no email.
   */
  logRefusal(provider: string, refusal: OidcRefusalException, client: ClientInfo): void {
    this.logger.log(
      { event: 'auth.login_failed', method: `oidc:${provider}`, code: refusal.refusal, reason: refusal.logReason, ip: client.ip },
      'external sign-in refused',
    );
  }

  private policyRefusal(
    provider: OidcProviderConfig,
    account: AccountEntity,
    user: UserEntity,
    email: string,
  ): [OidcRefusal, LoginFailureReason] | null {
    if (!user.isActive) return ['oidc_user_inactive', 'inactive_user'];
    if (account.allowedSignInProviders && !account.allowedSignInProviders.includes(provider.id)) {
      return ['oidc_provider_not_allowed', 'provider_not_allowed'];
    }
    if (account.allowedEmailDomains && !account.allowedEmailDomains.includes(emailDomain(email))) {
      return ['oidc_email_domain_not_allowed', 'email_domain_not_allowed'];
    }
    return null;
  }

  /** A refusal of a known user: audited in their account, then thrown. */
  private async refuse(
    provider: OidcProviderConfig,
    user: UserEntity,
    client: ClientInfo,
    refusal: OidcRefusal,
    reason: LoginFailureReason,
  ): Promise<never> {
    await this.transactions.run(() =>
      this.audit.record(auditContext({ accountId: user.accountId, userId: user.id }, client, this.clock.now()), {
        action: 'auth.login_failed',
        resourceType: 'user',
        resourceId: user.id,
        details: { method: `oidc:${provider.id}`, reason },
      }),
    );
    throw new OidcRefusalException(refusal, reason);
  }

  private sameUser(link: UserIdentityEntity, user: UserEntity): boolean {
    return link.userId === user.id && link.accountId === user.accountId;
  }
}
