import { Inject, Injectable } from '@nestjs/common';
import { AuditPolicyValues, AuditService } from '@sessions/audit';
import { EffectivePolicy, resolvePolicy, RoleOverride, tightenForRole, validateRoleOverride } from '@sessions/session-policy';
import { overridesOf } from '../accounts/account-policy.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import { ROLES, type Role } from '../common/auth/roles';
import { auditContext } from '../common/audit-context';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { notFound, validationFailed } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { RolePoliciesRepository } from './role-policies.repository';
import type { RolePolicyView } from './role-policy.view';

const auditValues = (p: RoleOverride | EffectivePolicy): AuditPolicyValues => ({
  idle_minutes: p.idleMinutes,
  absolute_minutes: p.absoluteMinutes,
});

/**
 * Per-role tightening of the account policy (issue 15). Saving locks the account row,
 * like the account policy, so the effective values in the audit row are the ones that
 * were in force. Live sessions pick a stricter value up at their next refresh (the
 * rotation statement reads the override of the user's current role); a looser one
 * reaches only new sign-ins.
 */
@Injectable()
export class RolePoliciesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly repository: RolePoliciesRepository,
    private readonly audit: AuditService,
  ) {}

  /** Every role, in `ROLES` order, with or without an override. */
  async list(caller: AuthUser): Promise<RolePolicyView[]> {
    const account = await this.accountPolicy(caller.accountId);
    const overrides = await this.repository.findAll(caller.accountId);
    return ROLES.map((role) => this.view(role, overrides.get(role) ?? null, account));
  }

  async put(caller: AuthUser, role: Role, next: RoleOverride, client: ClientInfo): Promise<RolePolicyView> {
    const violations = validateRoleOverride(next, this.config.policy);
    if (violations.length > 0) throw validationFailed(violations, 'The role override is outside the allowed bounds.');
    return this.change(caller, role, next, client);
  }

  /** Idempotent: removing an absent override answers the same and records nothing. */
  async remove(caller: AuthUser, role: Role, client: ClientInfo): Promise<RolePolicyView> {
    return this.change(caller, role, null, client);
  }

  private async change(caller: AuthUser, role: Role, next: RoleOverride | null, client: ClientInfo): Promise<RolePolicyView> {
    return this.transactions.run(async () => {
      const account = await this.accountPolicy(caller.accountId, { lock: true });
      const old = (await this.repository.findAll(caller.accountId)).get(role) ?? null;
      const before = this.view(role, old, account);
      const after = this.view(role, next, account);
      if (same(old, next)) return after;

      if (next) await this.repository.upsert(caller.accountId, role, next, this.clock.now());
      else await this.repository.remove(caller.accountId, role);
      await this.audit.record(auditContext(caller, client, this.clock.now()), {
        action: 'account.role_policy_update',
        resourceType: 'account',
        resourceId: caller.accountId,
        details: {
          role,
          old: old && auditValues(old),
          new: next && auditValues(next),
          effective_old: auditValues(before.effective),
          effective_new: auditValues(after.effective),
        },
      });
      return after;
    });
  }

  /** The account's effective policy; with `lock` (inside a transaction), the account row is locked first. */
  private async accountPolicy(accountId: string, { lock = false } = {}): Promise<EffectivePolicy> {
    const account = lock ? await this.accounts.lockAccount(accountId) : await this.accounts.findAccount(accountId);
    if (!account) throw notFound('No such account.');
    return resolvePolicy(overridesOf(account), this.config.policy);
  }

  private view(role: Role, override: RoleOverride | null, account: EffectivePolicy): RolePolicyView {
    return { role, override, effective: tightenForRole(account, override) };
  }
}

function same(a: RoleOverride | null, b: RoleOverride | null): boolean {
  if (a === null || b === null) return a === b;
  return a.idleMinutes === b.idleMinutes && a.absoluteMinutes === b.absoluteMinutes;
}
