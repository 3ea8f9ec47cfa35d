import { Inject, Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import type { AuditContext } from '@sessions/audit';
import { AuditPolicyValues, AuditService } from '@sessions/audit';
import { applyPolicyPatch, detectPreset, EffectivePolicy, PolicyOverrides, resolvePolicy, validatePolicy } from '@sessions/session-policy';
import { overridesOf } from '../accounts/account-policy.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { notFound, validationFailed } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { SessionsService } from '../sessions/sessions.service';
import { AccountSecurityRepository } from './account-security.repository';
import type { RevokeScope, UpdateSecurityPolicyDto } from './dto/security-policy.dto';
import type { SecurityPolicyView } from './security-policy.view';

const auditValues = (p: PolicyOverrides | EffectivePolicy): AuditPolicyValues => ({
  idle_minutes: p.idleMinutes,
  absolute_minutes: p.absoluteMinutes,
});

/** Owner controls over the account's sessions. Every statement is scoped by the caller's account. */
@Injectable()
export class AccountSecurityService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly repository: AccountSecurityRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async getPolicy(caller: AuthUser): Promise<SecurityPolicyView> {
    const account = await this.accounts.findAccount(caller.accountId);
    if (!account) throw notFound('No such account.');
    return this.view(caller.accountId, overridesOf(account));
  }

  /**
   * Applies PATCH semantics to the stored overrides and validates the result against
   * the configured bounds (per field, then effective idle ≤ effective absolute). The
   * account row is locked first so the check sees the values it is saved over.
   *
   * A PATCH that changes nothing (e.g. `{}`) is answered 200 but writes neither the
   * row nor an audit event: the audit log records changes, not page saves.
   */
  async updatePolicy(caller: AuthUser, dto: UpdateSecurityPolicyDto, client: ClientInfo): Promise<SecurityPolicyView> {
    const overrides = await this.transactions.run(async (manager) => {
      const account = await this.accounts.lockAccount(manager, caller.accountId);
      if (!account) throw notFound('No such account.');
      const old = overridesOf(account);
      const next = applyPolicyPatch(old, { idleMinutes: dto.idle_minutes, absoluteMinutes: dto.absolute_minutes });
      const violations = validatePolicy(next, this.config.policy);
      if (violations.length > 0) throw validationFailed(violations, 'The session policy is outside the allowed bounds.');
      if (next.idleMinutes === old.idleMinutes && next.absoluteMinutes === old.absoluteMinutes) return next;

      await this.repository.updatePolicy(manager, caller.accountId, next);
      await this.audit.record(manager, this.context(caller, client), {
        action: 'account.session_policy_update',
        resourceType: 'account',
        resourceId: caller.accountId,
        details: {
          old: auditValues(old),
          new: auditValues(next),
          effective_old: auditValues(resolvePolicy(old, this.config.policy)),
          effective_new: auditValues(resolvePolicy(next, this.config.policy)),
        },
      });
      return next;
    });
    return this.view(caller.accountId, overrides);
  }

  /**
   * Ends the account's live sessions in one UPDATE and returns how many ended. `others`
   * is "sign everyone else out without signing myself out": every session of the
   * caller — all their devices — stays (ending one's own other devices is
   * `POST /me/sessions/revoke-others`). Every call is audited, a repeated one with `revoked_count`
   * 0: the owner pressing "sign everyone out" is itself worth recording.
   */
  async revokeSessions(caller: AuthUser, scope: RevokeScope, client: ClientInfo): Promise<number> {
    return this.transactions.run(
      async (manager, afterCommit) => {
        const ended = await this.sessions.revoke(
          manager,
          afterCommit,
          { accountId: caller.accountId, exceptUserId: scope === 'others' ? caller.userId : undefined },
          'bulk_revoked',
        );
        await this.audit.record(manager, this.context(caller, client), {
          action: 'account.sessions_revoked_bulk',
          resourceType: 'account',
          resourceId: caller.accountId,
          details: { scope, revoked_count: ended.length },
        });
        return ended.length;
      },
      // An account may hold thousands of live sessions: the slow-work time bound, not a request's.
      { slow: true },
    );
  }

  private async view(accountId: string, overrides: PolicyOverrides): Promise<SecurityPolicyView> {
    return {
      overrides,
      effective: resolvePolicy(overrides, this.config.policy),
      bounds: this.config.policy,
      preset: detectPreset(overrides),
      activeUsers: await this.repository.findActiveUsers(accountId, this.clock.now()),
    };
  }

  private context(caller: AuthUser, client: ClientInfo): AuditContext {
    return auditContext(caller, client, this.clock.now());
  }
}
