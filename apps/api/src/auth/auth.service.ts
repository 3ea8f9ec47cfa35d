import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService } from '@sessions/audit';
import { AccountsRepository, SignInUser, UserProfile } from '../accounts/accounts.repository';
import { UsersRepository } from '../accounts/users.repository';
import type { AuthUser, ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { conflict, notFound, ProblemException, unauthenticated, validationFailed } from '../common/problem';
import { isUniqueViolation } from '../database/errors';
import { Transactions } from '../database/transactions';
import { SessionsService } from '../sessions/sessions.service';
import type { ChangePasswordDto, SignupDto } from './dto/auth.dto';
import { PasswordHasher } from '../accounts/password-hasher';
import { AuthLimits } from './auth-limits.service';
import { SignInAttempt, SignInLimiter } from './sign-in-limiter.service';
import { SignInService } from './sign-in.service';
import { hashJti, TokenService } from './token.service';
import type { TokenPair } from './token.types';

const invalidCredentials = () =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'The email or password is incorrect.');

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly signIn: SignInService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly signInLimiter: SignInLimiter,
    private readonly limits: AuthLimits,
  ) {}

  /** Creates an account with its owner and signs the owner in. */
  async signup(dto: SignupDto, client: ClientInfo): Promise<TokenPair> {
    await this.limits.takeSignup(client);
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      return await this.transactions.run(async () => {
        const account = await this.accounts.createAccount(dto.account_name);
        const owner = await this.users.create({ accountId: account.id, email: dto.email, name: dto.name, role: 'owner', passwordHash });
        return this.signIn.startSession(owner, client, 'signup');
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('That email is already registered.');
      throw error;
    }
  }

  /**
   * Password sign-in. Unknown email, wrong password and deactivated user get the
   * same answer after the same work (a dummy hash is verified for unknown emails).
   * A rate-limited attempt is refused before any of that work, and is not audited:
   * it proved nothing, and an audit row per refused request would let a flood write
   * the database. The failures that led to it were audited; refusals are counted
   * in `sessions_rate_limited_total`.
   */
  async login(email: string, password: string, client: ClientInfo): Promise<TokenPair> {
    const attempt = await this.signInLimiter.admit(email, client);
    try {
      const user = await this.verifiedUser(email, password, client, attempt);
      await attempt.succeeded();
      await this.refuseWhenSsoRequired(user, client);
      return await this.transactions.run(() => this.signIn.startSession(user, client, 'password'));
    } finally {
      // Neither a failure nor a success (e.g. the database failed): the attempt counts for nothing.
      await attempt.release();
    }
  }

  /**
   * An account that requires external sign-in refuses its members' passwords (owners
   * keep theirs, so they cannot lock themselves out). Checked only after the password
   * proved right: a guesser learns nothing about the account's policy.
   */
  private async refuseWhenSsoRequired(user: SignInUser, client: ClientInfo): Promise<void> {
    // The account's flag came with the user (one statement); it is acted on only here.
    if (user.role === 'owner' || !user.requireExternalSignIn) return;
    await this.transactions.run(() =>
      this.audit.record(auditContext({ accountId: user.accountId, userId: user.id }, client, this.clock.now()), {
        action: 'auth.login_failed',
        resourceType: 'user',
        resourceId: user.id,
        details: { method: 'password', reason: 'sso_required' },
      }),
    );
    throw new ProblemException(
      HttpStatus.FORBIDDEN,
      'sso_required',
      'Your account requires signing in with its identity provider; use one of the "Sign in with" buttons.',
    );
  }

  /** The active user with this email and password; otherwise records the failure and throws 401. */
  private async verifiedUser(email: string, password: string, client: ClientInfo, attempt: SignInAttempt): Promise<SignInUser> {
    const user = await this.accounts.findSignInUser(email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (user && ok && user.isActive) return user;
    await attempt.failed();
    if (user) {
      const reason = !ok ? 'wrong_password' : 'inactive_user';
      await this.transactions.run(() =>
        this.audit.record(auditContext({ accountId: user.accountId, userId: user.id }, client, this.clock.now()), {
          action: 'auth.login_failed',
          resourceType: 'user',
          resourceId: user.id,
          details: { method: 'password', reason },
        }),
      );
    } else {
      // No account to attach an audit row to; the structured log still records it (never the email's password).
      this.logger.log({ event: 'auth.login_failed', reason: 'unknown_email', ip: client.ip }, 'sign-in with an unknown email');
    }
    throw invalidCredentials();
  }

  /** Ends the session of the presented refresh token. Idempotent: anything else is a no-op. */
  async logout(refreshToken: string | undefined, client: ClientInfo): Promise<void> {
    const claims = refreshToken ? this.tokens.verifyRefresh(refreshToken) : null;
    if (!claims) return;
    const token = await this.sessions.findByJtiHash(hashJti(claims.jti));
    if (!token || token.sessionRevokedAt !== null || token.sessionId !== claims.sid) return;
    await this.transactions.run(async () => {
      const ended = await this.sessions.revoke({ accountId: token.accountId, sessionId: token.sessionId }, 'logout');
      if (ended.length === 0) return;
      await this.audit.record(auditContext(token, client, this.clock.now()), {
        action: 'session.revoked',
        resourceType: 'session',
        resourceId: token.sessionId,
        details: { session_id: token.sessionId, by: 'self', reason: 'logout' },
      });
    });
  }

  /** Changes the caller's password and ends every other session of theirs. */
  async changePassword(caller: AuthUser, dto: ChangePasswordDto, client: ClientInfo): Promise<void> {
    const user = await this.accounts.findUser(caller.accountId, caller.userId);
    if (!user || !user.isActive) throw unauthenticated();
    await this.limits.admitPasswordCheck(user.id);
    if (!(await this.hasher.verify(user.passwordHash, dto.current_password))) {
      // The point taken by admitPasswordCheck stays: this was a wrong guess.
      throw validationFailed([{ field: 'current_password', message: 'current_password is incorrect' }]);
    }
    await this.limits.passwordCheckPassed(user.id);
    const passwordHash = await this.hasher.hash(dto.new_password);
    await this.transactions.run(async () => {
      await this.users.setPasswordHash(user.accountId, user.id, passwordHash);
      const ended = await this.sessions.revoke(
        { accountId: caller.accountId, userId: caller.userId, exceptSessionId: caller.sessionId },
        'password_changed',
      );
      await this.audit.record(auditContext(caller, client, this.clock.now()), {
        action: 'auth.password_changed',
        resourceType: 'user',
        resourceId: caller.userId,
        details: { ended_sessions: ended.length },
      });
    });
  }

  /** The caller's profile, and whether the password can step them up (ADR 0018/0020: owners always; members unless SSO is required). */
  async me(caller: AuthUser): Promise<UserProfile & { passwordStepUp: boolean }> {
    // One prepared statement (the account's SSO flag joined in): the guarded read stays one round trip.
    const user = await this.accounts.findProfile(caller.accountId, caller.userId);
    if (!user) throw notFound();
    return { ...user, passwordStepUp: user.role === 'owner' || !user.requireExternalSignIn };
  }
}
