import { AuditEventEntity } from '@sessions/audit';
import { AccountEntity } from '../accounts/account.entity';
import { RolePolicyEntity } from '../accounts/role-policy.entity';
import { UserEntity } from '../accounts/user.entity';
import { UserIdentityEntity } from '../identities/user-identity.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { SessionEntity } from '../sessions/session.entity';

/** Every entity, listed explicitly: the API ships as one bundle, so no globbing. */
export const ENTITIES = [
  AccountEntity,
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  AuditEventEntity,
  UserIdentityEntity,
  RolePolicyEntity,
];
