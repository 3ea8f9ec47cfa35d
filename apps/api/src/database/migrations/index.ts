import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { RateLimits1764000000000 } from './1764000000000-rate-limits';
import { OwnerRevokedReason1764100000000 } from './1764100000000-owner-revoked-reason';

/** Every migration in order; listed explicitly because the API ships as one bundle. */
export const MIGRATIONS = [InitialSchema1763900000000, RateLimits1764000000000, OwnerRevokedReason1764100000000];
