import { Injectable, computed, signal } from '@angular/core';
import type { MeDto, TokenResponseDto } from '@sessions/api-client';
import type { SessionDeadlines } from '@sessions/session-policy';
import { clientDeadlines } from './token-deadlines';

/**
 * Who is signed in, held in memory only.
 *
 * The access token lives in a signal and nowhere else: not in localStorage,
 * not in a readable cookie. The refresh token never reaches JavaScript at all
 * (it travels in an HttpOnly cookie), so a reload restores the session by
 * refreshing, not by reading storage.
 */
@Injectable({ providedIn: 'root' })
export class AuthState {
  private readonly token = signal<string | null>(null);
  private readonly sessionDeadlines = signal<SessionDeadlines | null>(null);
  private readonly me = signal<MeDto | null>(null);

  readonly accessToken = this.token.asReadonly();
  /** Deadlines of the current session in this browser's clock (unix seconds). */
  readonly deadlines = this.sessionDeadlines.asReadonly();
  readonly user = this.me.asReadonly();
  readonly signedIn = computed(() => this.token() !== null && this.me() !== null);
  readonly isOwner = computed(() => this.me()?.role === 'owner');

  applyTokens(tokens: TokenResponseDto): void {
    this.token.set(tokens.access_token);
    this.sessionDeadlines.set(clientDeadlines(tokens, Date.now() / 1000));
  }

  setUser(user: MeDto): void {
    this.me.set(user);
  }

  clear(): void {
    this.token.set(null);
    this.sessionDeadlines.set(null);
    this.me.set(null);
  }
}
