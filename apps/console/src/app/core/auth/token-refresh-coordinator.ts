import { DestroyRef, Injectable, inject } from '@angular/core';
import { Api, authRefresh, type TokenResponseDto } from '@sessions/api-client';
import { Subject, firstValueFrom } from 'rxjs';
import { AuthState } from './auth-state';
import { parseSignOutReason, type SignOutReason } from './sign-out-reason';

/** What tabs of the console tell each other. */
export type AuthBroadcast = { type: 'tokens'; tokens: TokenResponseDto } | { type: 'signed-out'; reason: SignOutReason };

const LOCK_NAME = 'sessions-refresh';
const CHANNEL_NAME = 'sessions-auth';

/**
 * Makes sure only one refresh runs at a time, in this tab and across tabs.
 *
 * All tabs share one refresh cookie, and refresh tokens are single use: two
 * tabs presenting the same cookie at once look like token theft, and the
 * server ends the session once the reuse grace period is over. So a refresh
 * takes the `sessions-refresh` Web Lock, and the tab that refreshed posts the
 * new access token and deadlines on a BroadcastChannel. A tab that waited for
 * the lock while another tab refreshed uses that answer instead of spending
 * the (already rotated) cookie again.
 */
@Injectable({ providedIn: 'root' })
export class TokenRefreshCoordinator {
  private readonly api = inject(Api);
  private readonly state = inject(AuthState);
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  private readonly remote = new Subject<AuthBroadcast>();
  private inflight: Promise<TokenResponseDto> | null = null;
  /** Bumped on every token answer, ours or another tab's. */
  private generation = 0;
  private latest: TokenResponseDto | null = null;

  /** Sign-ins, refreshes and sign-outs that happened in other tabs. */
  readonly fromOtherTabs = this.remote.asObservable();

  constructor() {
    this.channel?.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    inject(DestroyRef).onDestroy(() => this.channel?.close());
  }

  /**
   * A fresh access token, applied to {@link AuthState}. Concurrent callers in
   * this tab share one request. Rejects with the HTTP error of a refused refresh.
   */
  refresh(): Promise<TokenResponseDto> {
    this.inflight ??= this.refreshOnce().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** Shares tokens this tab got by signing in. */
  announceTokens(tokens: TokenResponseDto): void {
    this.remember(tokens);
    this.post({ type: 'tokens', tokens });
  }

  announceSignedOut(reason: SignOutReason): void {
    this.latest = null;
    this.post({ type: 'signed-out', reason });
  }

  private async refreshOnce(): Promise<TokenResponseDto> {
    const seen = this.generation;
    const run = async (): Promise<TokenResponseDto> => {
      if (this.generation !== seen && this.latest) {
        // Another tab refreshed while we waited for the lock.
        return this.latest;
      }
      const tokens = await firstValueFrom(this.api.invoke(authRefresh, { body: {} }));
      this.state.applyTokens(tokens);
      this.announceTokens(tokens);
      return tokens;
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? locks.request(LOCK_NAME, run) : run();
  }

  private remember(tokens: TokenResponseDto): void {
    this.generation++;
    this.latest = tokens;
  }

  private receive(data: unknown): void {
    const message = parseBroadcast(data);
    if (!message) {
      return;
    }
    if (message.type === 'tokens') {
      this.remember(message.tokens);
      if (this.state.accessToken() !== null) {
        this.state.applyTokens(message.tokens);
      }
    } else {
      this.latest = null;
    }
    this.remote.next(message);
  }

  private post(message: AuthBroadcast): void {
    this.channel?.postMessage(message);
  }
}

function parseBroadcast(data: unknown): AuthBroadcast | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const message = data as Record<string, unknown>;
  if (message['type'] === 'tokens' && typeof message['tokens'] === 'object' && message['tokens'] !== null) {
    const tokens = message['tokens'] as TokenResponseDto;
    return typeof tokens.access_token === 'string' ? { type: 'tokens', tokens } : null;
  }
  const reason = parseSignOutReason(message['reason']);
  return message['type'] === 'signed-out' && reason ? { type: 'signed-out', reason } : null;
}
