import { AUDIT_ACTION, type AuditAction, type AuditEventDto } from '@sessions/api-client';
import { humanDuration } from '../../shared/format';

/** Every action the API can record, with how the log names it. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'account.session_policy_update': 'Session policy changed',
  'account.role_policy_update': 'Limits per role changed',
  'account.session_cap_update': 'Devices per user changed',
  'account.sessions_revoked_bulk': 'Sessions signed out in bulk',
  'session.revoked': 'Session signed out',
  'session.refresh_reuse_detected': 'Refresh token reuse detected',
  'auth.login_succeeded': 'Signed in',
  'auth.login_failed': 'Sign-in failed',
  'auth.password_changed': 'Password changed',
  'auth.reauthenticated': 'Password confirmed (step-up)',
  'auth.reauthentication_failed': 'Password confirmation failed',
  'member.added': 'Member added',
  'member.updated': 'Member updated',
  'account.sign_in_policy_update': 'Sign-in policy changed',
  'identity.linked': 'Sign-in identity linked',
  'identity.unlinked': 'Sign-in identity unlinked',
};

/** The filter's choices, in the API's order. */
export const AUDIT_ACTIONS: readonly AuditAction[] = AUDIT_ACTION;

type Details = Record<string, unknown>;

/** A detail value as words: `device_revoked` → "device revoked". */
function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value).replace(/_/g, ' ') : '';
}

/** `oidc:google` → "google"; the other methods as words. */
function methodText(value: unknown): string {
  return typeof value === 'string' && value.startsWith('oidc:') ? value.slice('oidc:'.length) : str(value) || 'password';
}

function policyText(value: unknown): string {
  if (typeof value !== 'object' || value === null) {
    return '?';
  }
  const policy = value as Details;
  const idle = typeof policy['idle_minutes'] === 'number' ? humanDuration(policy['idle_minutes']) : 'default';
  const absolute = typeof policy['absolute_minutes'] === 'number' ? humanDuration(policy['absolute_minutes']) : 'default';
  return `idle ${idle}, max ${absolute}`;
}

function signInPolicyText(value: unknown): string {
  if (typeof value !== 'object' || value === null) {
    return '?';
  }
  const policy = value as Details;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : 'any');
  return [
    policy['require_external_sign_in'] === true ? 'external sign-in required for members' : 'passwords allowed',
    `providers: ${list(policy['allowed_providers'])}`,
    `domains: ${list(policy['allowed_email_domains'])}`,
  ].join(' · ');
}

/** One line that says what an event's `details` mean, per the action catalogue. */
export function auditSummary(event: AuditEventDto): string {
  const d: Details = event.details ?? {};
  switch (event.action) {
    case 'account.session_policy_update':
      return `${policyText(d['effective_old'])} → ${policyText(d['effective_new'])}`;
    case 'account.role_policy_update':
      return `${str(d['role'])}: ${policyText(d['effective_old'])} → ${policyText(d['effective_new'])}${d['new'] === null ? ' (override removed)' : ''}`;
    case 'account.session_cap_update':
      return `${str(d['effective_old'])} → ${str(d['effective_new'])} devices per user · ${str(d['ended_sessions']) || '0'} ended`;
    case 'account.sessions_revoked_bulk':
      return `${d['scope'] === 'others' ? 'Everyone but the owner' : 'Everyone'} · ${str(d['revoked_count'])} ended`;
    case 'session.revoked':
      return [`by ${str(d['by']) || 'unknown'}`, str(d['reason'])].filter(Boolean).join(' · ');
    case 'session.refresh_reuse_detected':
      return 'A used refresh token was presented again; the session was ended.';
    case 'auth.login_succeeded':
      return `with ${methodText(d['method'])}`;
    case 'auth.login_failed':
      return [`with ${methodText(d['method'])}`, str(d['reason'])].filter(Boolean).join(' · ');
    case 'auth.password_changed':
      return `${str(d['ended_sessions']) || '0'} other sessions ended`;
    case 'auth.reauthenticated':
      return `with ${methodText(d['method'])} · sensitive changes unlocked on this session`;
    case 'auth.reauthentication_failed':
      return [`with ${methodText(d['method'])}`, str(d['reason'])].filter(Boolean).join(' · ');
    case 'member.added':
    case 'member.updated':
      return [str(d['role']), d['is_active'] === false ? 'deactivated' : 'active'].filter(Boolean).join(' · ');
    case 'account.sign_in_policy_update':
      return signInPolicyText(d['new']);
    case 'identity.linked':
      return `${str(d['provider'])} · matched by verified email`;
    case 'identity.unlinked':
      return str(d['provider']);
  }
}

/**
 * The API's `since` (inclusive) and `until` (exclusive) instants for a range of whole
 * days in the browser's time zone: from the start of `from` to the end of `to`.
 * Empty or invalid days leave that side open.
 */
export function dayRange(from: string, to: string): { since?: string; until?: string } {
  const start = localMidnight(from);
  const end = localMidnight(to);
  if (end) {
    end.setDate(end.getDate() + 1);
  }
  return { since: start?.toISOString(), until: end?.toISOString() };
}

function localMidnight(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) {
    return null;
  }
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}
