import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService } from '@sessions/audit';
import { classifyExpiry, RefreshRefusal, SECONDS_PER_MINUTE } from '@sessions/session-policy';
import type { ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { MetricsService } from '../metrics/metrics.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';
import { AuthLimits } from './auth-limits.service';
import { hashJti, newJti, TokenService } from './token.service';
import type { RefreshClaims, TokenPair } from './token.types';

const DETAILS: Record<RefreshRefusal, string> = {
  invalid_refresh_token: 'The refresh token is not valid; sign in again.',
  session_expired_idle: 'The session ended after a period of inactivity; sign in again.',
  session_expired_absolute: 'The session reached its maximum length; sign in again.',
};

export const refusal = (code: RefreshRefusal) => new ProblemException(HttpStatus.UNAUTHORIZED, code, DETAILS[code]);

/**
 * The hot path. The happy path is one SQL statement (see `ROTATE_SQL`); everything
 * else — reuse detection, ending an expired session — only runs on refusals.
 */
@Injectable()
export class RefreshService {
  private readonly logger = new Logger(RefreshService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly repository: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly limits: AuthLimits,
  ) {}

  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<TokenPair> {
    await this.limits.takeRefresh(client);
    try {
      const pair = await this.rotate(refreshToken, client);
      this.metrics.refreshOutcome('rotated');
      return pair;
    } catch (error) {
      if (error instanceof ProblemException) {
        this.metrics.refreshOutcome(error.code);
        if (error.code === 'invalid_refresh_token') await this.limits.refreshWasInvalid(client);
      }
      throw error;
    }
  }

  private async rotate(refreshToken: string | undefined, client: ClientInfo): Promise<TokenPair> {
    const claims = refreshToken ? this.tokens.verifyRefresh(refreshToken) : null;
    if (!claims) throw refusal('invalid_refresh_token');
    const issuedAt = this.clock.nowSeconds();
    const now = new Date(issuedAt * 1000);
    const presentedJtiHash = hashJti(claims.jti);
    const successorJti = newJti();
    const result = await this.repository.rotate({
      presentedJtiHash,
      successorJtiHash: hashJti(successorJti),
      now,
      legacy: claims.auth_time === undefined,
      defaultIdleSeconds: this.config.policy.idleMinutesDefault * SECONDS_PER_MINUTE,
      defaultAbsoluteSeconds: this.config.policy.absoluteMinutesDefault * SECONDS_PER_MINUTE,
      userAgent: client.userAgent,
      ip: client.ip,
    });
    if (!result || result.sessionId !== claims.sid) {
      await this.detectReuse(presentedJtiHash, claims, client);
      throw refusal('invalid_refresh_token');
    }
    const snapshot = {
      authTime: Math.floor(result.authTime.getTime() / 1000),
      idleMaxSeconds: result.idleMaxSeconds,
      absMaxSeconds: result.absMaxSeconds,
    };
    if (!result.rotated) {
      // Consumed but refused: say why, and end the session so it leaves device lists.
      const expiry = classifyExpiry(snapshot, Math.floor(result.presentedIssuedAt.getTime() / 1000), issuedAt);
      await this.endExpired(result.accountId, result.sessionId, expiry);
      throw refusal(expiry ?? 'invalid_refresh_token');
    }
    return this.tokens.mint({
      userId: result.userId,
      accountId: result.accountId,
      sessionId: result.sessionId,
      role: result.role,
      jti: successorJti,
      snapshot,
      issuedAt,
    });
  }

  private async endExpired(accountId: string, sessionId: string, expiry: 'session_expired_idle' | 'session_expired_absolute' | null) {
    const reason = expiry === 'session_expired_absolute' ? 'expired_absolute' : expiry === 'session_expired_idle' ? 'expired_idle' : null;
    if (!reason) return;
    await this.transactions.run((manager, afterCommit) => this.sessions.revoke(manager, afterCommit, { accountId, sessionId }, reason));
  }

  /**
   * RFC 9700 §4.14.2: a refresh token presented again after it was rotated means it
   * leaked, or the client is confused. Past a short grace window (benign multi-tab
   * races) the whole session ends and an audit row says so; inside it, the request
   * is only refused.
   */
  private async detectReuse(jtiHash: Buffer, claims: RefreshClaims, client: ClientInfo): Promise<void> {
    const token = await this.repository.findByJtiHash(jtiHash);
    if (!token || token.usedAt === null || token.sessionRevokedAt !== null || token.sessionId !== claims.sid) return;
    const graceEndsAt = token.usedAt.getTime() + this.config.refreshReuseGraceSeconds * 1000;
    if (this.clock.now().getTime() <= graceEndsAt) return;
    const ended = await this.transactions.run(async (manager, afterCommit) => {
      const ids = await this.sessions.revoke(
        manager,
        afterCommit,
        { accountId: token.accountId, sessionId: token.sessionId },
        'refresh_reuse',
      );
      if (ids.length === 0) return false; // someone else ended it first: one audit row only
      await this.audit.record(manager, auditContext(token, client, this.clock.now()), {
        action: 'session.refresh_reuse_detected',
        resourceType: 'session',
        resourceId: token.sessionId,
        details: { session_id: token.sessionId },
      });
      return true;
    });
    if (ended) {
      this.logger.warn(
        { event: 'session.refresh_reuse_detected', sessionId: token.sessionId, accountId: token.accountId },
        'refresh token reuse: session ended',
      );
    }
  }
}
