import { Injectable } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditRecord, AuditService, SignInMethod } from '@sessions/audit';
import { snapshotPolicy } from '@sessions/session-policy';
import { AccountPolicyService } from '../accounts/account-policy.service';
import type { UserEntity } from '../accounts/user.entity';
import type { ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { UsersRepository } from '../accounts/users.repository';
import { SessionsService } from '../sessions/sessions.service';
import { hashJti, newJti, TokenService } from './token.service';
import type { TokenPair } from './token.types';

/** Who signs in: what a session needs of the user. */
export type SignInSubject = Pick<UserEntity, 'id' | 'accountId' | 'role'>;

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
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  async startSession(user: SignInSubject, client: ClientInfo, method: SignInMethod): Promise<TokenPair> {
    const issuedAt = this.clock.nowSeconds();
    const now = new Date(issuedAt * 1000);
    // First, in one statement: the account row (key-share), then the user row, in the order
    // owners' changes take them, so the two never deadlock; a cap change and the sign-ins that
    // read the old cap serialise; and sign-ins of one user serialise on the user's row lock
    // until commit, so two sign-ins at the cap both see the other's session and the cap holds.
    const terms = this.policies.sessionTermsOf(await this.users.recordSignIn(user.accountId, user.id, user.role, now));
    const snapshot = snapshotPolicy(issuedAt, terms.policy);
    const jti = newJti();
    // Makes room under the cap (the account's, at most SESSION_MAX_PER_USER): the user's least
    // recently used live sessions beyond cap − 1 end with `session_limit`.
    const session = await this.sessions.startSession(
      {
        accountId: user.accountId,
        userId: user.id,
        authTime: now,
        idleMaxSeconds: snapshot.idleMaxSeconds,
        absMaxSeconds: snapshot.absMaxSeconds,
        userAgent: client.userAgent,
        ip: client.ip,
        jtiHash: hashJti(jti),
      },
      terms.maxSessionsPerUser - 1,
    );
    // One statement for every audit row of the sign-in: each ended session as a
    // `session.revoked` by the user (`by: self`: their own sign-in ended it), then the sign-in.
    const ended = session.ended.map(
      (sessionId): AuditRecord<'session.revoked'> => ({
        action: 'session.revoked',
        resourceType: 'session',
        resourceId: sessionId,
        details: { session_id: sessionId, by: 'self', reason: 'session_limit' },
      }),
    );
    const signedIn: AuditRecord<'auth.login_succeeded'> = {
      action: 'auth.login_succeeded',
      resourceType: 'session',
      resourceId: session.id,
      details: { method },
    };
    await this.audit.recordMany(auditContext({ accountId: user.accountId, userId: user.id }, client, now), [...ended, signedIn]);
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
}
