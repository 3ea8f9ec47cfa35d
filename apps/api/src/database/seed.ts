import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordHasher } from '../accounts/password-hasher';
import type { UsersRepository } from '../accounts/users.repository';
import type { Role } from '../common/auth/roles';
import type { Transactions } from './transactions';

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
export async function seedDemo(
  store: { transactions: Transactions; accounts: AccountsRepository; users: UsersRepository },
  hasher: PasswordHasher,
  dataDir: string,
): Promise<DemoUser[]> {
  const file = join(resolve(dataDir), 'demo-users.json');
  const users: DemoUser[] = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DemoUser[])
    : DEMO_USERS.map((user) => ({ ...user, password: randomBytes(9).toString('base64url') }));
  const existing = await store.accounts.findUserByEmail(users[0].email);
  if (existing) return users;
  await store.transactions.run(async () => {
    const account = await store.accounts.createAccount('Demo Co');
    for (const user of users) {
      const passwordHash = await hasher.hash(user.password);
      await store.users.create({ accountId: account.id, email: user.email, name: user.name, role: user.role, passwordHash });
    }
  });
  writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 });
  return users;
}
