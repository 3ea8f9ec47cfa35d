import type { Role } from './auth/roles';

/** The authenticated caller, from a verified access token. */
export interface AuthUser {
  userId: string;
  accountId: string;
  sessionId: string;
  role: Role;
}

/** Where a request came from, for sessions and audit rows. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}
