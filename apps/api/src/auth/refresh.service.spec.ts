import { createDecoder, createSigner } from 'fast-jwt';
import type { AuditService } from '@sessions/audit';
import { ProblemException, rateLimited } from '../common/problem';
import { loadConfig } from '../config/app-config';
import type { RuntimeConfig } from '../config/runtime-config';
import type { Transactions } from '../database/transactions';
import { MetricsService } from '../metrics/metrics.service';
import type { RotateResult, UsedTokenInfo } from '../sessions/sessions.repository';
import type { SessionsService } from '../sessions/sessions.service';
import type { AuthLimits } from './auth-limits.service';
import { RefreshService } from './refresh.service';
import { hashJti, TokenService } from './token.service';
import { TestClock } from '../../test/support/test-clock';

const config: RuntimeConfig = {
  ...loadConfig({}),
  databaseUrl: 'postgresql://unused',
  accessTokenSecret: 'a'.repeat(32),
  refreshTokenSecret: 'r'.repeat(32),
  databasePoolSize: 1,
};

/** Unit tests of the refusal and reuse logic around the one-statement rotation, with fakes. */
describe('RefreshService', () => {
  const t0 = new Date('2026-03-01T12:00:00Z');
  let clock: TestClock;
  let tokens: TokenService;
  /** The rotation and its cold-path lookup, as `SessionsService` exposes them. */
  let repository: { rotate: jest.Mock; findByJtiHash: jest.Mock };
  let sessions: { revoke: jest.Mock; rotate: jest.Mock; findByJtiHash: jest.Mock };
  let audit: { record: jest.Mock };
  let limits: { takeRefresh: jest.Mock; refreshWasInvalid: jest.Mock };
  let sut: RefreshService;

  const refreshToken = (overrides: Record<string, unknown> = {}) => {
    const iat = Math.floor(t0.getTime() / 1000);
    return createSigner({ key: config.refreshTokenSecret, algorithm: 'HS256' })({
      sub: 'u1',
      sid: 's1',
      jti: 'j1',
      typ: 'refresh',
      auth_time: iat,
      idle_max: 3600,
      abs_max: 7200,
      iat,
      exp: iat + 3600,
      ...overrides,
    });
  };
  const rotateResult = (overrides: Partial<RotateResult> = {}): RotateResult => ({
    sessionId: 's1',
    accountId: 'a1',
    userId: 'u1',
    role: 'engineer',
    isActive: true,
    authTime: t0,
    presentedIssuedAt: t0,
    idleMaxSeconds: 3600,
    absMaxSeconds: 7200,
    rotated: true,
    ...overrides,
  });
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
      return 'ok';
    } catch (error) {
      return (error as ProblemException).code;
    }
  };
  /** `code` and `reason` of the refusal, as the problem body will carry them. */
  const refusalOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
      return { code: 'ok' };
    } catch (error) {
      const problem = error as ProblemException;
      return problem.reason ? { code: problem.code, reason: problem.reason } : { code: problem.code };
    }
  };

  beforeEach(() => {
    clock = new TestClock(t0);
    tokens = new TokenService(config);
    repository = { rotate: jest.fn(), findByJtiHash: jest.fn() };
    sessions = { revoke: jest.fn().mockResolvedValue(['s1']), ...repository };
    audit = { record: jest.fn() };
    limits = { takeRefresh: jest.fn(), refreshWasInvalid: jest.fn() };
    const transactions = {
      run: (work: () => unknown) => work(),
    };
    sut = new RefreshService(
      config,
      clock,
      tokens,
      sessions as unknown as SessionsService,
      transactions as unknown as Transactions,
      audit as unknown as AuditService,
      new MetricsService(),
      limits as unknown as AuthLimits,
    );
  });

  it('refuses a flood before verifying the token or touching the database', async () => {
    limits.takeRefresh.mockRejectedValue(rateLimited('Too many refresh requests from this address', 12));
    const verify = jest.spyOn(tokens, 'verifyRefresh');
    expect(await codeOf(sut.refresh(refreshToken(), { ip: '203.0.113.1', userAgent: null }))).toBe('rate_limited');
    expect(verify).not.toHaveBeenCalled();
    expect(repository.rotate).not.toHaveBeenCalled();
  });

  it('charges the extra cost for invalid tokens only, not for rotations or ended sessions', async () => {
    const client = { ip: '203.0.113.1', userAgent: null };
    await codeOf(sut.refresh('not-a-jwt', client));
    expect(limits.refreshWasInvalid).toHaveBeenCalledTimes(1);
    repository.rotate.mockResolvedValue(rotateResult());
    await sut.refresh(refreshToken(), client);
    clock.set(new Date(t0.getTime() + 7200 * 1000));
    repository.rotate.mockResolvedValue(rotateResult({ rotated: false }));
    expect(await codeOf(sut.refresh(refreshToken(), client))).toBe('session_expired_absolute');
    expect(limits.refreshWasInvalid).toHaveBeenCalledTimes(1);
    expect(limits.takeRefresh).toHaveBeenCalledTimes(3);
  });

  it('mints a successor that carries the snapshot returned by the rotation', async () => {
    repository.rotate.mockResolvedValue(rotateResult({ idleMaxSeconds: 1800 }));
    const pair = await sut.refresh(refreshToken(), { ip: null, userAgent: null });
    const claims = createDecoder()(pair.refreshToken) as Record<string, number | string>;
    expect(claims).toMatchObject({ sid: 's1', auth_time: t0.getTime() / 1000, idle_max: 1800, abs_max: 7200 });
    expect(repository.rotate).toHaveBeenCalledWith(expect.objectContaining({ presentedJtiHash: hashJti('j1'), legacy: false }));
  });

  it('never touches the database for a token it cannot verify', async () => {
    expect(await codeOf(sut.refresh('not-a-jwt', { ip: null, userAgent: null }))).toBe('invalid_refresh_token');
    expect(await codeOf(sut.refresh(undefined, { ip: null, userAgent: null }))).toBe('invalid_refresh_token');
    expect(await codeOf(sut.refresh(refreshToken({ typ: 'access' }), { ip: null, userAgent: null }))).toBe('invalid_refresh_token');
    expect(await codeOf(sut.refresh(refreshToken({ idle_max: undefined }), { ip: null, userAgent: null }))).toBe('invalid_refresh_token');
    expect(repository.rotate).not.toHaveBeenCalled();
  });

  it('marks a legacy token (no snapshot claims) for a fresh snapshot', async () => {
    repository.rotate.mockResolvedValue(rotateResult());
    await sut.refresh(refreshToken({ auth_time: undefined, idle_max: undefined, abs_max: undefined }), { ip: null, userAgent: null });
    expect(repository.rotate).toHaveBeenCalledWith(expect.objectContaining({ legacy: true }));
  });

  it('classifies a consumed-but-refused token and ends its session with the matching reason', async () => {
    clock.set(new Date(t0.getTime() + 7200 * 1000));
    repository.rotate.mockResolvedValue(rotateResult({ rotated: false }));
    expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({
      code: 'session_expired_absolute',
      reason: 'expired_absolute',
    });
    expect(sessions.revoke).toHaveBeenCalledWith({ accountId: 'a1', sessionId: 's1' }, 'expired_absolute');

    clock.set(new Date(t0.getTime() + 3600 * 1000));
    expect(await codeOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toBe('session_expired_idle');
    expect(sessions.revoke).toHaveBeenLastCalledWith({ accountId: 'a1', sessionId: 's1' }, 'expired_idle');
  });

  it('ends the session of a deactivated user whose token was consumed but refused inside its deadlines', async () => {
    repository.rotate.mockResolvedValue(rotateResult({ rotated: false, isActive: false }));
    expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({
      code: 'invalid_refresh_token',
      reason: 'user_deactivated',
    });
    expect(sessions.revoke).toHaveBeenCalledWith({ accountId: 'a1', sessionId: 's1' }, 'user_deactivated');
  });

  describe('a token whose session already ended', () => {
    const ended = (revokeReason: UsedTokenInfo['revokeReason'], overrides: Partial<UsedTokenInfo> = {}): UsedTokenInfo => ({
      sessionId: 's1',
      accountId: 'a1',
      userId: 'u1',
      usedAt: null,
      sessionRevokedAt: t0,
      revokeReason,
      authTime: t0,
      lastUsedAt: t0,
      idleMaxSeconds: 3600,
      absMaxSeconds: 7200,
      ...overrides,
    });

    beforeEach(() => repository.rotate.mockResolvedValue(null));

    it.each([
      ['expired_idle', 'session_expired_idle', 'expired_idle'],
      ['expired_absolute', 'session_expired_absolute', 'expired_absolute'],
      ['logout', 'invalid_refresh_token', 'signed_out'],
      ['device_revoked', 'invalid_refresh_token', 'signed_out_elsewhere'],
      ['others_revoked', 'invalid_refresh_token', 'signed_out_elsewhere'],
      ['bulk_revoked', 'invalid_refresh_token', 'revoked_by_owner'],
      ['refresh_reuse', 'invalid_refresh_token', 'refresh_reuse'],
      ['password_changed', 'invalid_refresh_token', 'password_changed'],
      ['user_deactivated', 'invalid_refresh_token', 'user_deactivated'],
      ['role_changed', 'invalid_refresh_token', 'role_changed'],
      ['session_limit', 'invalid_refresh_token', 'session_limit'],
    ] as const)('stored %s answers %s with reason %s, and changes nothing', async (stored, code, reason) => {
      repository.findByJtiHash.mockResolvedValue(ended(stored, { usedAt: new Date(t0.getTime() - 60_000) }));
      clock.set(new Date(t0.getTime() + 30 * 24 * 3600 * 1000)); // however long ago
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({ code, reason });
      expect(sessions.revoke).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('says nothing about a session the token does not claim', async () => {
      repository.findByJtiHash.mockResolvedValue(ended('logout', { sessionId: 's2' }));
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({ code: 'invalid_refresh_token' });
    });

    it('ends a live session past its deadline as expired when one of its used tokens comes back: not reuse', async () => {
      repository.findByJtiHash.mockResolvedValue(
        ended(null, { sessionRevokedAt: null, usedAt: t0, lastUsedAt: new Date(t0.getTime() + 60_000) }),
      );
      clock.set(new Date(t0.getTime() + 60_000 + 3600 * 1000));
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({
        code: 'session_expired_idle',
        reason: 'expired_idle',
      });
      expect(sessions.revoke).toHaveBeenCalledWith({ accountId: 'a1', sessionId: 's1' }, 'expired_idle');
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('reuse detection', () => {
    const used = (usedAt: Date, revokedAt: Date | null = null): UsedTokenInfo => ({
      sessionId: 's1',
      accountId: 'a1',
      userId: 'u1',
      usedAt,
      sessionRevokedAt: revokedAt,
      revokeReason: revokedAt ? 'refresh_reuse' : null,
      authTime: t0,
      lastUsedAt: usedAt,
      idleMaxSeconds: 3600,
      absMaxSeconds: 7200,
    });

    beforeEach(() => repository.rotate.mockResolvedValue(null));

    it('ends the session and audits once the grace window has passed', async () => {
      repository.findByJtiHash.mockResolvedValue(used(new Date(t0.getTime() - 11_000)));
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: '198.51.100.4', userAgent: 'ua' }))).toEqual({
        code: 'invalid_refresh_token',
        reason: 'refresh_reuse',
      });
      expect(sessions.revoke).toHaveBeenCalledWith({ accountId: 'a1', sessionId: 's1' }, 'refresh_reuse');
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ accountId: 'a1', ip: '198.51.100.4' }),
        expect.objectContaining({ action: 'session.refresh_reuse_detected', details: { session_id: 's1' } }),
      );
    });

    it('only refuses inside the grace window, without a reason: the session is live', async () => {
      repository.findByJtiHash.mockResolvedValue(used(new Date(t0.getTime() - 10_000)));
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({ code: 'invalid_refresh_token' });
      expect(sessions.revoke).not.toHaveBeenCalled();
    });

    it('does nothing more for a session that already ended or a token never seen', async () => {
      repository.findByJtiHash.mockResolvedValueOnce(used(new Date(t0.getTime() - 60_000), t0)).mockResolvedValueOnce(null);
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({
        code: 'invalid_refresh_token',
        reason: 'refresh_reuse',
      });
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({ code: 'invalid_refresh_token' });
      expect(sessions.revoke).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('writes no audit row when another request ended the session first, and answers with its reason', async () => {
      repository.findByJtiHash
        .mockResolvedValueOnce(used(new Date(t0.getTime() - 60_000)))
        .mockResolvedValueOnce({ ...used(new Date(t0.getTime() - 60_000), t0), revokeReason: 'bulk_revoked' });
      sessions.revoke.mockResolvedValue([]);
      expect(await refusalOf(sut.refresh(refreshToken(), { ip: null, userAgent: null }))).toEqual({
        code: 'invalid_refresh_token',
        reason: 'revoked_by_owner',
      });
      expect(audit.record).not.toHaveBeenCalled();
    });
  });
});
