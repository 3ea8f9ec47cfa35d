/** Account roles. Owners manage the account; admins can read members; engineers only use the product. */
export const ROLES = ['owner', 'admin', 'engineer'] as const;
export type Role = (typeof ROLES)[number];
