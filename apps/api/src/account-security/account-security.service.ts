import { Inject, Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import type { AuditContext } from '@sessions/audit';
import { AuditPolicyValues, AuditService } from '@sessions/audit';
import {
  applyPolicyPatch,
  detectPreset,
  effectiveSessionCap,
  EffectivePolicy,
  PolicyOverrides,
  resolvePolicy,
  validatePolicy,
  validateSessionCap,
} from '@sessions/session-policy';
import { overridesOf } from '../accounts/account-policy.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { FieldError, notFound, validationFailed } from '../common/problem';
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
    return this.view(caller.accountId, overridesOf(account), account.maxSessionsPerUser);
  }

  /**
   * Applies PATCH semantics to the stored overrides and validates the result against
   * the configured bounds (per field, then effective idle ≤ effective absolute) and the
   * session cap against the system cap. The account row is locked first so the check
   * sees the values it is saved over, and so sign-ins reading the old cap finish first
   * (they key-share the row).
   *
   * A PATCH that changes nothing (e.g. `{}`) is answered 200 but writes neither the
   * row nor an audit event: the audit log records changes, not page saves.
   */
  async updatePolicy(caller: AuthUser, dto: UpdateSecurityPolicyDto, client: ClientInfo): Promise<SecurityPolicyView> {
    const saved = await this.transactions.run(async () => {
      const account = await this.accounts.lockAccount(caller.accountId);
      if (!account) throw notFound('No such account.');
      const old = overridesOf(account);
      const next = applyPolicyPatch(old, { idleMinutes: dto.idle_minutes, absoluteMinutes: dto.absolute_minutes });
      const violations: FieldError[] = validatePolicy(next, this.config.policy);
      const capViolation = validateSessionCap(dto.max_sessions_per_user, this.config.sessionMaxPerUser);
      if (capViolation) violations.push({ field: 'max_sessions_per_user', message: capViolation });
      if (violations.length > 0) throw validationFailed(violations, 'The session policy is outside the allowed bounds.');
      const cap = dto.max_sessions_per_user === undefined ? account.maxSessionsPerUser : dto.max_sessions_per_user;

      if (next.idleMinutes !== old.idleMinutes || next.absoluteMinutes !== old.absoluteMinutes) {
        await this.repository.updatePolicy(caller.accountId, next);
        await this.audit.record(this.context(caller, client), {
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
      }
      if (cap !== account.maxSessionsPerUser) await this.updateSessionCap(caller, client, account.maxSessionsPerUser, cap);
      return { overrides: next, cap };
    });
    return this.view(caller.accountId, saved.overrides, saved.cap);
  }

  /**
   * A lower cap applies at once (ADR 0019): every user's least recently used live
   * sessions beyond it end with `session_limit`, each audited like a sign-in beyond the
   * cap (`session.revoked`, here `by: owner`), then the change itself with how many ended.
   */
  private async updateSessionCap(caller: AuthUser, client: ClientInfo, old: number | null, cap: number | null): Promise<void> {
    const system = this.config.sessionMaxPerUser;
    await this.repository.updateSessionCap(caller.accountId, cap);
    const ended = await this.sessions.endBeyondAccountCap(caller.accountId, effectiveSessionCap(cap, system));
    const context = this.context(caller, client);
    // One statement however many end: lowering the cap may end thousands across the account.
    await this.audit.recordMany(
      context,
      ended.map((session) => ({
        action: 'session.revoked' as const,
        resourceType: 'session' as const,
        resourceId: session.id,
        details: { session_id: session.id, by: 'owner' as const, reason: 'session_limit' as const, user_id: session.userId },
      })),
    );
    await this.audit.record(context, {
      action: 'account.session_cap_update',
      resourceType: 'account',
      resourceId: caller.accountId,
      details: {
        old,
        new: cap,
        effective_old: effectiveSessionCap(old, system),
        effective_new: effectiveSessionCap(cap, system),
        ended_sessions: ended.length,
      },
    });
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
      async () => {
        const ended = await this.sessions.revokeAccountWide(
          { accountId: caller.accountId, exceptUserId: scope === 'others' ? caller.userId : undefined },
          'bulk_revoked',
        );
        await this.audit.record(this.context(caller, client), {
          action: 'account.sessions_revoked_bulk',
          resourceType: 'account',
          resourceId: caller.accountId,
          details: { scope, revoked_count: ended },
        });
        return ended;
      },
      // An account may hold thousands of live sessions: the slow-work time bound, not a request's.
      { slow: true },
    );
  }

  private async view(accountId: string, overrides: PolicyOverrides, cap: number | null): Promise<SecurityPolicyView> {
    const system = this.config.sessionMaxPerUser;
    return {
      overrides,
      sessionCap: { account: cap, effective: effectiveSessionCap(cap, system), system },
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
