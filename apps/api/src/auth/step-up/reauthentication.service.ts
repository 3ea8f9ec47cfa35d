import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@sessions/audit';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { PasswordHasher } from '../../accounts/password-hasher';
import { auditContext } from '../../common/audit-context';
import type { AuthUser, ClientInfo } from '../../common/auth-user';
import { Clock } from '../../common/clock';
import { ProblemException, unauthenticated, validationFailed } from '../../common/problem';
import { APP_CONFIG } from '../../config/app-config';
import type { RuntimeConfig } from '../../config/runtime-config';
import { Transactions } from '../../database/transactions';
import { AuthLimits } from '../auth-limits.service';
import { StepUpRepository } from '../../common/auth/step-up.repository';

export interface Reauthenticated {
  authenticatedAt: Date;
  maxAgeSeconds: number;
  freshUntil: Date;
}

/**
 * Step-up with the password (issue 15, ADR 0018): proves the person at the keyboard is
 * the user of this session and stamps the session, so the sensitive endpoints accept it
 * for `STEP_UP_MAX_AGE_SECONDS`. Nothing else about the session changes: no new tokens,
 * no new `auth_time` (the absolute limit counts from the sign-in), and a wrong password
 * ends nothing.
 */
@Injectable()
export class ReauthenticationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly limits: AuthLimits,
    private readonly stepUp: StepUpRepository,
    private readonly audit: AuditService,
  ) {}

  async withPassword(caller: AuthUser, password: string, client: ClientInfo): Promise<Reauthenticated> {
    const user = await this.accounts.findUser(caller.accountId, caller.userId);
    if (!user || !user.isActive) throw unauthenticated();
    await this.refuseUnusablePassword(caller);
    // The guess limiter of `current_password`: one budget per user across both endpoints, so a
    // stolen access token gets no more guesses by switching between them.
    await this.limits.admitPasswordCheck(user.id);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await this.transactions.run(() =>
        this.audit.record(auditContext(caller, client, this.clock.now()), {
          action: 'auth.reauthentication_failed',
          resourceType: 'session',
          resourceId: caller.sessionId,
          details: { method: 'password', reason: 'wrong_password' },
        }),
      );
      // The shape of a wrong `current_password`: 422 on the field, never 401 (the access token is fine).
      throw validationFailed([{ field: 'password', message: 'password is incorrect' }]);
    }
    await this.limits.passwordCheckPassed(user.id);
    const now = this.clock.now();
    const stamped = await this.transactions.run(async () => {
      const at = await this.stepUp.stamp(caller, now);
      if (!at) return null;
      await this.audit.record(auditContext(caller, client, now), {
        action: 'auth.reauthenticated',
        resourceType: 'session',
        resourceId: caller.sessionId,
        details: { method: 'password' },
      });
      return at;
    });
    if (!stamped) throw unauthenticated('The session has ended.');
    const maxAgeSeconds = this.config.stepUpMaxAgeSeconds;
    return { authenticatedAt: stamped, maxAgeSeconds, freshUntil: new Date(stamped.getTime() + maxAgeSeconds * 1000) };
  }

  /**
   * A member of an account that requires external sign-in cannot sign in with a password,
   * so the password cannot prove them either: they step up through the provider
   * (OidcStepUpService, ADR 0020). Owners keep their password, as at sign-in.
   */
  private async refuseUnusablePassword(caller: AuthUser): Promise<void> {
    if (caller.role === 'owner') return;
    const account = await this.accounts.findAccount(caller.accountId);
    if (!account?.requireExternalSignIn) return;
    throw new ProblemException(
      HttpStatus.FORBIDDEN,
      'sso_required',
      'Your account requires its identity provider: confirm it is you with it (POST /api/auth/reauthenticate/oauth/{provider}), then retry.',
    );
  }
}
