const KEY = 'sessions.signed-in';

/**
 * A "this browser may have a session" flag in localStorage: not the token, not a secret,
 * just "1". On a first visit (or after signing out) the console then skips the refresh
 * call that could only be refused, so the sign-in page loads without a 401 in the
 * browser console. Where storage is unavailable it answers "maybe" and the console
 * tries the refresh as before.
 */
export const sessionHint = {
  present(): boolean {
    try {
      return localStorage.getItem(KEY) !== null;
    } catch {
      return true;
    }
  },
  set(): void {
    try {
      localStorage.setItem(KEY, '1');
    } catch {
      // Storage full or disabled: restore() will simply try the refresh.
    }
  },
  clear(): void {
    try {
      localStorage.removeItem(KEY);
    } catch {
      // As above.
    }
  },
};
