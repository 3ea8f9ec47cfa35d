import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@sessions/audit';
import { AccountsRepository } from '../accounts/accounts.repository';
import { auditContext } from '../common/audit-context';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { notFound, ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { IdentityDto, mapIdentity } from './dto/identity.dto';
import { IdentitiesRepository } from './identities.repository';

/** A user's own linked identities: see them, unlink them. */
@Injectable()
export class IdentitiesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly audit: AuditService,
  ) {}

  async list(caller: AuthUser): Promise<IdentityDto[]> {
    const rows = await this.identities.listForUser(caller.accountId, caller.userId);
    return rows.map((row) => mapIdentity(row, this.displayName(row.provider)));
  }

  /**
   * Unlinks one of the caller's identities. Refused (409 `last_sign_in_method`) when it
   * is their last one and they have no usable password: a member of an account that
   * requires external sign-in. The account row is locked so an owner switching that
   * policy on and a member unlinking cannot pass each other.
   */
  async unlink(caller: AuthUser, identityId: string, client: ClientInfo): Promise<void> {
    await this.transactions.run(async () => {
      const account = await this.accounts.lockAccount(caller.accountId);
      const user = await this.accounts.findUser(caller.accountId, caller.userId);
      if (!account || !user) throw notFound();
      const links = await this.identities.listForUser(caller.accountId, caller.userId);
      if (!links.some((link) => link.id === identityId)) throw notFound('No such identity of yours.');
      const passwordUsable = !account.requireExternalSignIn || user.role === 'owner';
      if (links.length === 1 && !passwordUsable) {
        throw new ProblemException(
          HttpStatus.CONFLICT,
          'last_sign_in_method',
          'This is your only way to sign in: your account requires external sign-in for members.',
        );
      }
      const removed = await this.identities.unlink(caller.accountId, caller.userId, identityId);
      if (!removed) throw notFound('No such identity of yours.');
      await this.audit.record(auditContext(caller, client, this.clock.now()), {
        action: 'identity.unlinked',
        resourceType: 'user',
        resourceId: caller.userId,
        details: { user_id: caller.userId, provider: removed.provider },
      });
    });
  }

  private displayName(provider: string): string | undefined {
    return this.config.oidc.providers.find((p) => p.id === provider)?.displayName;
  }
}
