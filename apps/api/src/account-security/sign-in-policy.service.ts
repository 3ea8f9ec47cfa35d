import { Inject, Injectable } from '@nestjs/common';
import { AuditService, AuditSignInPolicy } from '@sessions/audit';
import { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { auditContext } from '../common/audit-context';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { FieldError, notFound, validationFailed } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import type { UpdateSignInPolicyDto } from './dto/sign-in-policy.dto';
import type { SignInPolicyView } from './sign-in-policy.view';

const auditValues = (v: Omit<SignInPolicyView, 'available'>): AuditSignInPolicy => ({
  require_external_sign_in: v.requireExternalSignIn,
  allowed_providers: v.allowedProviders,
  allowed_email_domains: v.allowedEmailDomains,
});

const sameList = (a: string[] | null, b: string[] | null) => JSON.stringify(a) === JSON.stringify(b);

/** Stored sorted and without duplicates, so "no change" is recognisable and the audit diff is stable. */
const normalised = (list: string[] | null | undefined, lower: boolean): string[] | null | undefined =>
  list === null || list === undefined ? list : [...new Set(list.map((v) => (lower ? v.trim().toLowerCase() : v.trim())))].sort();

/** The account's sign-in policy (issue 10): owner-only, audited like the session policy. */
@Injectable()
export class SignInPolicyService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditService,
  ) {}

  async get(caller: AuthUser): Promise<SignInPolicyView> {
    const account = await this.accounts.findAccount(caller.accountId);
    if (!account) throw notFound('No such account.');
    return this.view(account);
  }

  /**
   * PATCH semantics; a change that changes nothing writes nothing. Refused: naming a
   * provider this server does not offer, and requiring external sign-in when no
   * provider could be used — members would be left with no way in at all.
   */
  async update(caller: AuthUser, dto: UpdateSignInPolicyDto, client: ClientInfo): Promise<SignInPolicyView> {
    return this.transactions.run(async () => {
      const account = await this.accounts.lockAccount(caller.accountId);
      if (!account) throw notFound('No such account.');
      const old = this.view(account);
      const providers = normalised(dto.allowed_providers, false);
      const domains = normalised(dto.allowed_email_domains, true);
      const next = {
        requireExternalSignIn: dto.require_external_sign_in ?? old.requireExternalSignIn,
        allowedProviders: providers === undefined ? old.allowedProviders : providers,
        allowedEmailDomains: domains === undefined ? old.allowedEmailDomains : domains,
      };
      const errors: FieldError[] = [];
      const configured = this.config.oidc.providers.map((p) => p.id);
      const unknown = (providers ?? []).filter((id) => !configured.includes(id));
      if (unknown.length) errors.push({ field: 'allowed_providers', message: `not configured here: ${unknown.join(', ')}` });
      const usable = configured.filter((id) => next.allowedProviders === null || next.allowedProviders.includes(id));
      if (next.requireExternalSignIn && usable.length === 0) {
        errors.push({ field: 'require_external_sign_in', message: 'needs at least one configured, accepted provider' });
      }
      if (errors.length) throw validationFailed(errors, 'The sign-in policy is not valid.');
      if (
        next.requireExternalSignIn === old.requireExternalSignIn &&
        sameList(next.allowedProviders, old.allowedProviders) &&
        sameList(next.allowedEmailDomains, old.allowedEmailDomains)
      ) {
        return old;
      }
      await this.accounts.updateSignInPolicy(caller.accountId, next);
      await this.audit.record(auditContext(caller, client, this.clock.now()), {
        action: 'account.sign_in_policy_update',
        resourceType: 'account',
        resourceId: caller.accountId,
        details: { old: auditValues(old), new: auditValues(next) },
      });
      return { ...next, available: this.config.oidc.providers };
    });
  }

  private view(account: AccountEntity): SignInPolicyView {
    return {
      requireExternalSignIn: account.requireExternalSignIn,
      allowedProviders: account.allowedSignInProviders,
      allowedEmailDomains: account.allowedEmailDomains,
      available: this.config.oidc.providers,
    };
  }
}
