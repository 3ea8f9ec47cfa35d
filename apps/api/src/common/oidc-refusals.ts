/**
 * Why an external sign-in was refused: the problem `code` of the callback, and the
 * `reason` the console's `/login?reason=` shows as a sentence.
 */
export const OIDC_REFUSALS = [
  /** The callback's `state` does not match the one this browser started with (or it expired, or there is none). */
  'oidc_state_mismatch',
  /** The provider sent the user back with an error (e.g. they cancelled). */
  'oidc_provider_error',
  /** The provider refused the authorization code (used twice, expired, PKCE verifier wrong). */
  'oidc_exchange_failed',
  /** The ID token failed verification: signature, issuer, audience, nonce or expiry. */
  'oidc_invalid_id_token',
  /** The provider did not vouch for the email address. */
  'oidc_email_unverified',
  /** No user is linked to this identity and none has its email: nothing is created silently. */
  'oidc_unknown_user',
  /** The matched user is deactivated. */
  'oidc_user_inactive',
  /** The user's account does not accept this provider. */
  'oidc_provider_not_allowed',
  /** The user's account does not accept this email domain. */
  'oidc_email_domain_not_allowed',
  /** The provider could not be reached. */
  'oidc_unavailable',
  /** Step-up (ADR 0020): the provider's login is not proven fresh (`auth_time` missing or before the flow started). */
  'oidc_reauthentication_stale',
  /** Step-up: the identity the provider signed in is not one linked to the user of this session. */
  'oidc_reauthentication_wrong_identity',
  /** Step-up: the session it was started for has ended (or its user was deactivated). */
  'oidc_reauthentication_session_ended',
] as const;
export type OidcRefusal = (typeof OIDC_REFUSALS)[number];
