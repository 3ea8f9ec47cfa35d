import type { EffectivePolicy, PolicyBounds, PolicyOverrides, PolicyPreset } from '@sessions/session-policy';
import type { ActiveUserRow } from './account-security.repository';

// Its own file so the DTO that maps it does not import the service (which imports the DTO).

export type ActiveUser = ActiveUserRow;

/** Everything the security page shows, before it is mapped to the wire. */
export interface SecurityPolicyView {
  overrides: PolicyOverrides;
  effective: EffectivePolicy;
  bounds: PolicyBounds;
  preset: PolicyPreset;
  sessionCap: { account: number | null; effective: number; system: number };
  activeUsers: ActiveUser[];
}
