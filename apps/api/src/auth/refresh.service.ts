import { Inject, Injectable, Logger } from '@nestjs/common';
import { auditContext } from '../common/audit-context';
import { AuditService } from '@sessions/audit';
import { classifyExpiry, SECONDS_PER_MINUTE, type PolicySnapshot } from '@sessions/session-policy';
import type { ClientInfo } from '../common/auth-user';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Transactions } from '../database/transactions';
import { MetricsService } from '../metrics/metrics.service';
import { endReasonOf, revokeReasonForExpiry, sessionEndReason } from '../sessions/session-end-reason';
import type { RevokeReason } from '../sessions/session.entity';
import type { UsedTokenInfo } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';
import { AuthLimits } from './auth-limits.service';
import { endedRefusal, refusal } from './refresh-refusals';
import { hashJti, newJti, TokenService } from './token.service';
import type { RefreshClaims, TokenPair } from './token.types';

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The hot path. The happy path is one SQL statement (see `ROTATE_SQL`); everything
 * else — explaining why a session ended, reuse detection, ending an expired
 * session — only runs on refusals.
 */
@Injectable()
export class RefreshService {
  private readonly logger = new Logger(RefreshService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
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
    const result = await this.sessions.rotate({
      presentedJtiHash,
      successorJtiHash: hashJti(successorJti),
      now,
      legacy: claims.auth_time === undefined,
      defaultIdleSeconds: this.config.policy.idleMinutesDefault * SECONDS_PER_MINUTE,
      defaultAbsoluteSeconds: this.config.policy.absoluteMinutesDefault * SECONDS_PER_MINUTE,
      userAgent: client.userAgent,
      ip: client.ip,
    });
    if (!result || result.sessionId !== claims.sid) throw await this.explainRefusal(presentedJtiHash, claims, client);
    const snapshot = {
      authTime: unixSeconds(result.authTime),
      idleMaxSeconds: result.idleMaxSeconds,
      absMaxSeconds: result.absMaxSeconds,
    };
    if (!result.rotated) {
      // Consumed but refused: end the session with why, so it leaves device lists and every
      // later presentation of this token reads the same answer from the ended session.
      const expiry = classifyExpiry(snapshot, unixSeconds(result.presentedIssuedAt), issuedAt);
      const reason: RevokeReason | null = expiry ? revokeReasonForExpiry(expiry) : result.isActive ? null : 'user_deactivated';
      if (!reason) throw refusal('invalid_refresh_token'); // the rotation refuses nothing else
      await this.end(result.accountId, result.sessionId, reason);
      throw endedRefusal(endReasonOf(reason));
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

  /** Ends one session; false when it had already ended (someone else got there first). */
  private async end(accountId: string, sessionId: string, reason: RevokeReason): Promise<boolean> {
    const ids = await this.transactions.run((manager, afterCommit) =>
      this.sessions.revoke(manager, afterCommit, { accountId, sessionId }, reason),
    );
    return ids.length > 0;
  }

  /**
   * The cold path of a refused rotation: the presented token was unknown, already used,
   * or its session had ended. Answers why — the session's end reason, however long ago
   * it ended and whether a sweep marked it or a refresh did — but only for a token this
   * API issued for that session: anything else gets the plain refusal.
   */
  private async explainRefusal(jtiHash: Buffer, claims: RefreshClaims, client: ClientInfo): Promise<ProblemException> {
    const token = await this.sessions.findByJtiHash(jtiHash);
    if (!token || token.sessionId !== claims.sid) return refusal('invalid_refresh_token');
    if (token.sessionRevokedAt !== null) return this.ended(token);
    // A live session, and this token of it was already used.
    const rowSnapshot: PolicySnapshot = {
      authTime: unixSeconds(token.authTime),
      idleMaxSeconds: token.idleMaxSeconds,
      absMaxSeconds: token.absMaxSeconds,
    };
    const expiry = classifyExpiry(rowSnapshot, unixSeconds(token.lastUsedAt), this.clock.nowSeconds());
    if (expiry) {
      // The session timed out before this replay (the sweeper just had not marked it
      // yet): end it as the sweeper would. Not reuse — nobody can use the session now.
      const reason = revokeReasonForExpiry(expiry);
      return (await this.end(token.accountId, token.sessionId, reason)) ? endedRefusal(endReasonOf(reason)) : this.reread(jtiHash);
    }
    if (token.usedAt === null) return refusal('invalid_refresh_token'); // a race with the rotation itself
    switch (await this.detectReuse(token, client)) {
      case 'inside_grace':
        return refusal('invalid_refresh_token');
      case 'ended':
        return endedRefusal('refresh_reuse');
      case 'already_ended':
        return this.reread(jtiHash);
    }
  }

  private ended(token: UsedTokenInfo): ProblemException {
    if (token.sessionRevokedAt === null || token.revokeReason === null) return refusal('invalid_refresh_token');
    return endedRefusal(
      sessionEndReason({
        revokeReason: token.revokeReason,
        revokedAt: unixSeconds(token.sessionRevokedAt),
        authTime: unixSeconds(token.authTime),
        lastUsedAt: unixSeconds(token.lastUsedAt),
        idleMaxSeconds: token.idleMaxSeconds,
        absMaxSeconds: token.absMaxSeconds,
      }),
    );
  }

  /** Another request ended the session between our read and our write: answer with its reason. */
  private async reread(jtiHash: Buffer): Promise<ProblemException> {
    const token = await this.sessions.findByJtiHash(jtiHash);
    return token ? this.ended(token) : refusal('invalid_refresh_token');
  }

  /**
   * RFC 9700 §4.14.2: a refresh token presented again after it was rotated means it
   * leaked, or the client is confused. Past a short grace window (benign multi-tab
   * races) the whole session ends and an audit row says so; inside it, the request
   * is only refused.
   */
  private async detectReuse(token: UsedTokenInfo, client: ClientInfo): Promise<'inside_grace' | 'ended' | 'already_ended'> {
    const graceEndsAt = (token.usedAt?.getTime() ?? 0) + this.config.refreshReuseGraceSeconds * 1000;
    if (this.clock.now().getTime() <= graceEndsAt) return 'inside_grace';
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
    if (!ended) return 'already_ended';
    this.logger.warn(
      { event: 'session.refresh_reuse_detected', sessionId: token.sessionId, accountId: token.accountId },
      'refresh token reuse: session ended',
    );
    return 'ended';
  }
}
