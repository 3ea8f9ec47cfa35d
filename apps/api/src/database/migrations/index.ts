import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { RateLimits1764000000000 } from './1764000000000-rate-limits';
import { SessionLimit1764100000000 } from './1764100000000-session-limit';
import { ExternalSignIn1764200000000 } from './1764200000000-external-sign-in';
import { OwnerRevokedReason1764300000000 } from './1764300000000-owner-revoked-reason';
import { SessionReauthenticatedAt1764450000000 } from './1764450000000-session-reauthenticated-at';
import { RolePolicies1764500000000 } from './1764500000000-role-policies';
import { BatchedRevocationNotify1764900000000 } from './1764900000000-batched-revocation-notify';
import { RevocationNotifyFastPaths1765100000000 } from './1765100000000-revocation-notify-fast-paths';
import { RevocationNotifyWithoutTransitionTables1765300000000 } from './1765300000000-revocation-notify-without-transition-tables';

/** Every migration in order; listed explicitly because the API ships as one bundle. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  RateLimits1764000000000,
  SessionLimit1764100000000,
  ExternalSignIn1764200000000,
  OwnerRevokedReason1764300000000,
  SessionReauthenticatedAt1764450000000,
  RolePolicies1764500000000,
  BatchedRevocationNotify1764900000000,
  RevocationNotifyFastPaths1765100000000,
  RevocationNotifyWithoutTransitionTables1765300000000,
];
