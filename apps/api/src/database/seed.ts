import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { PasswordHasher } from '../accounts/password-hasher';
import type { Role } from '../common/auth/roles';
import { UserEntity } from '../accounts/user.entity';

export interface DemoUser {
  email: string;
  password: string;
  role: Role;
  name: string;
}

const DEMO_USERS: Omit<DemoUser, 'password'>[] = [
  { email: 'owner@demo.test', role: 'owner', name: 'Olivia Owner' },
  { email: 'admin@demo.test', role: 'admin', name: 'Adam Admin' },
  { email: 'engineer@demo.test', role: 'engineer', name: 'Erin Engineer' },
];

/**
 * Seeds, once, a demo account with an owner, an admin and an engineer. Their
 * passwords are generated on first start and kept in the data folder, so the
 * repository holds no usable credential.
 */
export async function seedDemo(dataSource: DataSource, hasher: PasswordHasher, dataDir: string): Promise<DemoUser[]> {
  const file = join(resolve(dataDir), 'demo-users.json');
  const users: DemoUser[] = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DemoUser[])
    : DEMO_USERS.map((user) => ({ ...user, password: randomBytes(9).toString('base64url') }));
  const existing = await dataSource.getRepository(UserEntity).findOneBy({ email: users[0].email });
  if (existing) return users;
  await dataSource.transaction(async (manager) => {
    const account = manager.create(AccountEntity, { name: 'Demo Co', sessionIdleMinutes: null, sessionAbsoluteMinutes: null });
    await manager.save(account);
    for (const user of users) {
      await manager.save(
        manager.create(UserEntity, {
          accountId: account.id,
          email: user.email,
          name: user.name,
          role: user.role,
          passwordHash: await hasher.hash(user.password),
          isActive: true,
          lastLoginAt: null,
        }),
      );
    }
  });
  writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 });
  return users;
}
