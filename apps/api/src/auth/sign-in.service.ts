import { Inject, Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService } from '@sessions/audit';
import { snapshotPolicy } from '@sessions/session-policy';
import type { EntityManager } from 'typeorm';
import { AccountPolicyService } from '../accounts/account-policy.service';
import type { UserEntity } from '../accounts/user.entity';
import type { ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import type { AfterCommit } from '../database/transactions';
import { SessionsService } from '../sessions/sessions.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import { hashJti, newJti, TokenService } from './token.service';
import type { TokenPair } from './token.types';

/**
 * What every sign-in path shares (signup, password logins, later OIDC): snapshot
 * the account's effective policy into a new session with its first refresh token,
 * stamp `last_login_at`, audit, and mint both tokens — in the caller's transaction.
 */
@Injectable()
export class SignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly sessionEnds: SessionsService,
    private readonly policies: AccountPolicyService,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  async startSession(
    manager: EntityManager,
    afterCommit: AfterCommit,
    user: UserEntity,
    client: ClientInfo,
    method: 'password' | 'signup' | 'oidc',
  ): Promise<TokenPair> {
    const issuedAt = this.clock.nowSeconds();
    const now = new Date(issuedAt * 1000);
    // First, so sign-ins of one user serialise on the user's row lock until commit: two
    // sign-ins at the cap both see the other's session and the cap holds.
    await manager.query('UPDATE users SET last_login_at = $1 WHERE id = $2 AND account_id = $3', [now, user.id, user.accountId]);
    await this.endLeastRecentlyUsed(manager, afterCommit, user, client, now);
    const snapshot = snapshotPolicy(issuedAt, await this.policies.effectiveFor(user.accountId, manager));
    const jti = newJti();
    const session = await this.sessions.create(manager, {
      accountId: user.accountId,
      userId: user.id,
      authTime: now,
      idleMaxSeconds: snapshot.idleMaxSeconds,
      absMaxSeconds: snapshot.absMaxSeconds,
      userAgent: client.userAgent,
      ip: client.ip,
      jtiHash: hashJti(jti),
    });
    await this.audit.record(manager, auditContext({ accountId: user.accountId, userId: user.id }, client, now), {
      action: 'auth.login_succeeded',
      resourceType: 'session',
      resourceId: session.id,
      details: { method },
    });
    return this.tokens.mint({
      userId: user.id,
      accountId: user.accountId,
      sessionId: session.id,
      role: user.role,
      jti,
      snapshot,
      issuedAt,
    });
  }

  /**
   * Makes room for the new session under SESSION_MAX_PER_USER: the user's least recently
   * used live sessions beyond cap − 1 end with `session_limit`, each audited as a
   * `session.revoked` by the user (`by: self`: their own sign-in ended it).
   */
  private async endLeastRecentlyUsed(
    manager: EntityManager,
    afterCommit: AfterCommit,
    user: UserEntity,
    client: ClientInfo,
    now: Date,
  ): Promise<void> {
    const owner = { accountId: user.accountId, userId: user.id };
    const ended = await this.sessionEnds.endBeyondLimit(manager, afterCommit, owner, this.config.sessionMaxPerUser - 1);
    const context = auditContext(owner, client, now);
    for (const sessionId of ended) {
      await this.audit.record(manager, context, {
        action: 'session.revoked',
        resourceType: 'session',
        resourceId: sessionId,
        details: { session_id: sessionId, by: 'self', reason: 'session_limit' },
      });
    }
  }
}
