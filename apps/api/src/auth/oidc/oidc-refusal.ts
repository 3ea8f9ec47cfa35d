import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../../common/problem';
import type { OidcRefusal } from '../../common/oidc-refusals';

const DETAILS: Record<OidcRefusal, [HttpStatus, string]> = {
  oidc_state_mismatch: [HttpStatus.BAD_REQUEST, 'This sign-in was not started from this browser, or took too long. Start again.'],
  oidc_provider_error: [HttpStatus.BAD_REQUEST, 'The identity provider did not sign you in.'],
  oidc_exchange_failed: [HttpStatus.UNAUTHORIZED, 'The identity provider refused the sign-in code (it may have been used already).'],
  oidc_invalid_id_token: [HttpStatus.UNAUTHORIZED, "The identity provider's answer could not be verified."],
  oidc_email_unverified: [HttpStatus.UNAUTHORIZED, 'The identity provider has not verified your email address.'],
  oidc_unknown_user: [
    HttpStatus.UNAUTHORIZED,
    'No user of this product has that identity or email address. Ask your account owner to add you.',
  ],
  oidc_user_inactive: [HttpStatus.UNAUTHORIZED, "Your access has been deactivated by your account's owner."],
  oidc_provider_not_allowed: [HttpStatus.FORBIDDEN, 'Your account does not accept sign-in with this provider.'],
  oidc_email_domain_not_allowed: [HttpStatus.FORBIDDEN, 'Your account does not accept sign-in with this email domain.'],
  oidc_unavailable: [HttpStatus.BAD_GATEWAY, 'The identity provider could not be reached. Try again later.'],
  oidc_reauthentication_stale: [
    HttpStatus.UNAUTHORIZED,
    'The identity provider did not ask you to sign in again just now, so it does not confirm it is you. Try again.',
  ],
  oidc_reauthentication_wrong_identity: [
    HttpStatus.FORBIDDEN,
    'You signed in at the identity provider as someone not linked to this user. Use your own identity.',
  ],
  oidc_reauthentication_session_ended: [HttpStatus.UNAUTHORIZED, 'The session this confirmation was for has ended. Sign in again.'],
};

/** A refused external sign-in; `logReason` is the finer cause for logs and audit (never a secret). */
export class OidcRefusalException extends ProblemException {
  constructor(
    readonly refusal: OidcRefusal,
    readonly logReason: string = refusal.replace(/^oidc_/, ''),
  ) {
    super(DETAILS[refusal][0], refusal, DETAILS[refusal][1]);
  }
}
