import type { ProblemCode } from '@sessions/api-client';

/** Why the API refused an external sign-in (the callback's `/login?reason=`), or a password sign-in. */
export type SignInRefusal = Extract<
  ProblemCode,
  | 'sso_required'
  | 'oidc_state_mismatch'
  | 'oidc_provider_error'
  | 'oidc_exchange_failed'
  | 'oidc_invalid_id_token'
  | 'oidc_email_unverified'
  | 'oidc_unknown_user'
  | 'oidc_user_inactive'
  | 'oidc_provider_not_allowed'
  | 'oidc_email_domain_not_allowed'
  | 'oidc_unavailable'
>;

const MESSAGES: Record<SignInRefusal, string> = {
  sso_required: 'Your account requires signing in with your identity provider. Use one of the buttons below.',
  oidc_state_mismatch: 'That sign-in was started in another browser or took too long. Please try again.',
  oidc_provider_error: 'Your identity provider did not sign you in. Please try again.',
  oidc_exchange_failed: 'Your identity provider refused the sign-in (the link may have been used already). Please try again.',
  oidc_invalid_id_token: "We could not verify your identity provider's answer. Please try again or contact your administrator.",
  oidc_email_unverified: 'Your identity provider has not verified your email address. Verify it there, then try again.',
  oidc_unknown_user: 'No user here has that identity or email address. Ask your account owner to add you first.',
  oidc_user_inactive: "Your access has been deactivated by your account's owner. Ask them if you need it back.",
  oidc_provider_not_allowed: 'Your account does not allow signing in with this provider. Use another way to sign in.',
  oidc_email_domain_not_allowed: "Your account does not accept this email address's domain. Sign in with your work address.",
  oidc_unavailable: 'Your identity provider could not be reached. Please try again in a moment.',
};

/** The sentence for a refusal code; null for anything else (an untrusted query parameter). */
export function signInRefusalMessage(code: unknown): string | null {
  return typeof code === 'string' && Object.hasOwn(MESSAGES, code) ? MESSAGES[code as SignInRefusal] : null;
}
