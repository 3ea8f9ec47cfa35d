import type { Role } from '@sessions/api-client';

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', engineer: 'Engineer' };

/** "No devices", "1 device", "3 devices". */
export function devicesText(count: number): string {
  return count === 0 ? 'No devices' : `${count} ${count === 1 ? 'device' : 'devices'}`;
}
