import { Inject, Injectable } from '@nestjs/common';
import { effectiveSessionCap, EffectivePolicy, PolicyOverrides, resolvePolicy, tightenForRole } from '@sessions/session-policy';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import type { AccountEntity } from './account.entity';
import { AccountsRepository, SessionTermsRow } from './accounts.repository';

export function overridesOf(account: Pick<AccountEntity, 'sessionIdleMinutes' | 'sessionAbsoluteMinutes'>): PolicyOverrides {
  return { idleMinutes: account.sessionIdleMinutes, absoluteMinutes: account.sessionAbsoluteMinutes };
}

/** What a new session of a user gets: its policy (account tightened by role) and the cap on live sessions. */
export interface SessionTerms {
  policy: EffectivePolicy;
  maxSessionsPerUser: number;
}

/** The account's effective session policy: its overrides over the configured defaults, tightened by the role's. */
@Injectable()
export class AccountPolicyService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly accounts: AccountsRepository,
  ) {}

  async effectiveFor(accountId: string): Promise<EffectivePolicy> {
    const account = await this.accounts.findAccount(accountId);
    return resolvePolicy(account ? overridesOf(account) : { idleMinutes: null, absoluteMinutes: null }, this.config.policy);
  }

  /** A sign-in's terms from what `UsersRepository.recordSignIn` read (null: the defaults). */
  sessionTermsOf(row: SessionTermsRow | null): SessionTerms {
    const account = resolvePolicy(
      { idleMinutes: row?.session_idle_minutes ?? null, absoluteMinutes: row?.session_absolute_minutes ?? null },
      this.config.policy,
    );
    const override =
      row && (row.role_idle_minutes !== null || row.role_absolute_minutes !== null)
        ? { idleMinutes: row.role_idle_minutes, absoluteMinutes: row.role_absolute_minutes }
        : null;
    return {
      policy: tightenForRole(account, override),
      maxSessionsPerUser: effectiveSessionCap(row?.max_sessions_per_user ?? null, this.config.sessionMaxPerUser),
    };
  }
}
