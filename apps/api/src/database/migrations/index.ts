import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { RateLimits1764000000000 } from './1764000000000-rate-limits';
import { SessionLimit1764100000000 } from './1764100000000-session-limit';

/** Every migration in order; listed explicitly because the API ships as one bundle. */
export const MIGRATIONS = [InitialSchema1763900000000, RateLimits1764000000000, SessionLimit1764100000000];
