import { Inject, Injectable } from '@nestjs/common';
import { EffectivePolicy, PolicyOverrides, resolvePolicy } from '@sessions/session-policy';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import type { AccountEntity } from './account.entity';
import { AccountsRepository } from './accounts.repository';

export function overridesOf(account: Pick<AccountEntity, 'sessionIdleMinutes' | 'sessionAbsoluteMinutes'>): PolicyOverrides {
  return { idleMinutes: account.sessionIdleMinutes, absoluteMinutes: account.sessionAbsoluteMinutes };
}

/** The account's effective session policy: its overrides over the configured defaults. */
@Injectable()
export class AccountPolicyService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly accounts: AccountsRepository,
  ) {}

  async effectiveFor(accountId: string, manager?: EntityManager): Promise<EffectivePolicy> {
    const account = await this.accounts.findAccount(accountId, manager);
    return resolvePolicy(account ? overridesOf(account) : { idleMinutes: null, absoluteMinutes: null }, this.config.policy);
  }
}
