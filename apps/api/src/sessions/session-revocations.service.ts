import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { APP_CONFIG } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import { Clock } from '../common/clock';
import { AccountRevocation, ACCOUNT_REVOKED_CHANNEL, parseAccountRevocation, refusesToken } from './account-revocation';
import { SessionsRepository } from './sessions.repository';

export const SESSION_REVOKED_CHANNEL = 'session_revoked';

/**
 * A `session_revoked` payload: the ids one statement ended, comma-separated (the trigger
 * sends them in chunks under the 8000-byte limit); a single id is a list of one.
 */
export function parseRevokedIds(payload: string): string[] {
  return payload
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/**
 * Which sessions ended recently, kept in memory so the access-token guard can refuse
 * an ended session's tokens without a database read per request.
 *
 * An entry only has to outlive the access tokens of its session (their TTL). Every
 * replica hears about every ended session through PostgreSQL LISTEN/NOTIFY (triggers on
 * `sessions` notify the ended ids in batches inside the ending transaction); an account-wide
 * revocation arrives as one rule instead of its ids (ADR 0028, {@link AccountRevocation}). A
 * replica that starts, or whose listener reconnects, reloads the ids of the sessions ended
 * within the TTL (account-wide ones included: their rows are ended like any other).
 */
@Injectable()
export class SessionRevocations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocations.name);
  /** session id → epoch ms after which no access token of it can still be valid */
  private readonly revoked = new Map<string, number>();
  /** account id → its account-wide revocations, each with the epoch ms it is kept until */
  private readonly accounts = new Map<string, { rule: AccountRevocation; until: number }[]>();
  private listener: Client | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
  ) {
    this.pruneTimer = setInterval(() => this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  async onModuleInit(): Promise<void> {
    await this.listen().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'session revocation listener not connected; retrying');
      this.scheduleReconnect();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    return until !== undefined && until > this.clock.now().getTime();
  }

  /** Whether an access token with these claims belongs to an ended session (by id, or by an account-wide rule). */
  isTokenRevoked(token: { sessionId: string; accountId: string; userId: string; issuedAt: number }): boolean {
    if (this.isRevoked(token.sessionId)) return true;
    const rules = this.accounts.get(token.accountId);
    if (rules === undefined) return false;
    const now = this.clock.now().getTime();
    return rules.some((entry) => entry.until > now && refusesToken(entry.rule, token));
  }

  /** Records an account-wide revocation (this process's after commit, or a replica's notification). */
  markAccountRevoked(rule: AccountRevocation): void {
    const until = this.clock.now().getTime() + this.retentionMs();
    // A later rule for the same excepted user (or for nobody excepted) covers an earlier one:
    // repeated revokes keep one rule per excepted user, so the guard's check stays short.
    const covered = (older: AccountRevocation) =>
      older.issuedBefore <= rule.issuedBefore && (rule.exceptUserId === null || older.exceptUserId === rule.exceptUserId);
    const rules = (this.accounts.get(rule.accountId) ?? []).filter((entry) => !covered(entry.rule));
    rules.push({ rule, until });
    this.accounts.set(rule.accountId, rules);
  }

  /** Records sessions this process just ended (after commit), ahead of their notification. */
  markRevoked(sessionIds: readonly string[]): void {
    const until = this.clock.now().getTime() + this.retentionMs();
    for (const id of sessionIds) this.revoked.set(id, until);
  }

  private retentionMs(): number {
    // One extra minute absorbs clock skew between replicas.
    return (this.config.accessTokenTtlSeconds + 60) * 1000;
  }

  private prune(): void {
    const now = this.clock.now().getTime();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    for (const [accountId, rules] of this.accounts) {
      const kept = rules.filter((entry) => entry.until > now);
      if (kept.length === 0) this.accounts.delete(accountId);
      else this.accounts.set(accountId, kept);
    }
  }

  private async listen(): Promise<void> {
    const { connectMs, queryMs } = this.config.databaseTimeouts;
    const client = new Client({
      // LISTEN needs a session of its own: behind PgBouncer in transaction mode,
      // DATABASE_LISTEN_URL points past it, straight at PostgreSQL (docs/scaling.md).
      connectionString: this.config.databaseListenUrl ?? this.config.databaseUrl,
      application_name: 'sessions-api-listener',
      // A frozen or vanished server must not leave the listener waiting forever: it would
      // miss every revocation without noticing (issue 8, finding 5).
      connectionTimeoutMillis: connectMs,
      query_timeout: queryMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'session revocation listener lost its connection');
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    client.on('notification', (message: Notification) => {
      if (message.channel === SESSION_REVOKED_CHANNEL && message.payload) this.markRevoked(parseRevokedIds(message.payload));
      if (message.channel === ACCOUNT_REVOKED_CHANNEL && message.payload) {
        const rule = parseAccountRevocation(message.payload);
        if (rule) this.markAccountRevoked(rule);
        else this.logger.warn({ payload: message.payload.slice(0, 200) }, 'unreadable account revocation ignored');
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSION_REVOKED_CHANNEL}; LISTEN ${ACCOUNT_REVOKED_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    this.listener = client;
    // Load after LISTEN so nothing ended in between is missed.
    const since = new Date(this.clock.now().getTime() - this.retentionMs());
    this.markRevoked(await this.sessions.endedSince(since));
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().catch(() => this.scheduleReconnect());
    }, 2000);
    this.reconnectTimer.unref();
  }
}
