import { Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService, SignInMethod } from '@sessions/audit';
import { snapshotPolicy } from '@sessions/session-policy';
import type { EntityManager } from 'typeorm';
import { AccountPolicyService } from '../accounts/account-policy.service';
import type { UserEntity } from '../accounts/user.entity';
import type { ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import type { AfterCommit } from '../database/transactions';
import { SessionsService } from '../sessions/sessions.service';
import { hashJti, newJti, TokenService } from './token.service';
import type { TokenPair } from './token.types';

/**
 * What every sign-in path shares (signup, password logins, OIDC): snapshot
 * the account's effective policy (tightened by the user's role) into a new session with its first refresh token,
 * stamp `last_login_at`, audit, and mint both tokens — in the caller's transaction.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly policies: AccountPolicyService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  async startSession(
    manager: EntityManager,
    afterCommit: AfterCommit,
    user: UserEntity,
    client: ClientInfo,
    method: SignInMethod,
  ): Promise<TokenPair> {
    const issuedAt = this.clock.nowSeconds();
    const now = new Date(issuedAt * 1000);
    // The account row (key-share) before the user row, in the order owners' changes take
    // them (account, then user), so the two never deadlock; and so a cap change and the
    // sign-ins that read the old cap serialise.
    const terms = await this.policies.sessionTermsFor(manager, user.accountId, user.role);
    // Before ending anything, so sign-ins of one user serialise on the user's row lock until
    // commit: two sign-ins at the cap both see the other's session and the cap holds.
    await manager.query('UPDATE users SET last_login_at = $1 WHERE id = $2 AND account_id = $3', [now, user.id, user.accountId]);
    await this.endLeastRecentlyUsed(manager, afterCommit, user, client, now, terms.maxSessionsPerUser);
    const snapshot = snapshotPolicy(issuedAt, terms.policy);
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
   * Makes room for the new session under the cap (the account's, at most SESSION_MAX_PER_USER): the user's least recently
   * used live sessions beyond cap − 1 end with `session_limit`, each audited as a
   * `session.revoked` by the user (`by: self`: their own sign-in ended it).
   */
  private async endLeastRecentlyUsed(
    manager: EntityManager,
    afterCommit: AfterCommit,
    user: UserEntity,
    client: ClientInfo,
    now: Date,
    cap: number,
  ): Promise<void> {
    const owner = { accountId: user.accountId, userId: user.id };
    const ended = await this.sessions.endBeyondLimit(manager, afterCommit, owner, cap - 1);
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
