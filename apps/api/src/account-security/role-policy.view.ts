import type { EffectivePolicy, RoleOverride } from '@sessions/session-policy';
import type { Role } from '../common/auth/roles';

// Its own file so the DTO that maps it does not import the service.

/** One role's override and the policy its sessions get. */
export interface RolePolicyView {
  role: Role;
  override: RoleOverride | null;
  effective: EffectivePolicy;
}
