import type { OidcProviderConfig } from '../config/oidc-config';

// Its own file so the DTO that maps it does not import the service (which imports the DTO).

export interface SignInPolicyView {
  requireExternalSignIn: boolean;
  allowedProviders: string[] | null;
  allowedEmailDomains: string[] | null;
  available: OidcProviderConfig[];
}
