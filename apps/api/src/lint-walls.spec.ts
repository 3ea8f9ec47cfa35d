import { Linter } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The walls of eslint.walls.cjs fire: each rule is run by ESLint on a deliberate
 * violation (and on its lawful neighbour) at a path inside the wall.
 */
const walls = require('../eslint.walls.cjs') as Linter.Config[];
const apiRoot = join(__dirname, '..');

function errors(relativePath: string, code: string): string[] {
  const linter = new Linter({ cwd: apiRoot, configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser as Linter.Parser },
      plugins: { '@typescript-eslint': tseslint.plugin as never },
    },
    ...walls,
  ];
  return linter.verify(code, config, { filename: join(apiRoot, relativePath) }).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('API walls (eslint.walls.cjs)', () => {
  it.each([
    ['src/common/evil.ts', "import { SessionsService } from '../sessions/sessions.service';"],
    ['src/common/auth/evil.ts', "import { Role } from '../../accounts/user.entity';"],
    ['src/config/evil.ts', "import { normalizeIp } from '../devices/geo-ip.service';"],
    ['src/common/evil.ts', "import { API_PREFIX } from '../app.factory';"],
    ['src/config/evil.ts', "export { AuthModule } from '../auth/auth.module';"],
  ])('common/ and config/ import no feature folder: %s %s', (path, code) => {
    expect(errors(path, code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*common\/ and config\/ import no feature folder/)]);
  });

  it.each([
    ['src/common/fine.ts', "import { loadConfig } from '../config/app-config';"],
    ['src/common/auth/fine.ts', "import { ProblemDto } from '../problem.dto';"],
    ['src/common/auth/fine.ts', "import { Clock } from '../../common/clock';"],
    ['src/config/fine.ts', "import { normalizeIp } from '../common/client-ip';"],
    ['src/config/fine.ts', "import { POLICY_BOUNDS } from '@sessions/session-policy';"],
    ['src/devices/fine.ts', "import { SessionsService } from '../sessions/sessions.service';"],
  ])('lets through %s %s', (path, code) => {
    expect(errors(path, code)).toEqual([]);
  });

  it.each([
    ["import { DataSource } from 'typeorm';", /TypeORM or DataSource/],
    ["import { InjectRepository } from '@nestjs/typeorm';", /no repositories or DataSource/],
    ["import { SessionsRepository } from '../sessions/sessions.repository';", /import no repositories/],
    ["import type { AccountsRepository } from '../accounts/accounts.repository';", /import no repositories/],
    ["import { Transactions } from '../database/transactions';", /database layer/],
  ])('controllers import no repositories, typeorm or DataSource: %s', (code, message) => {
    expect(errors('src/devices/devices.controller.ts', code)).toEqual([expect.stringMatching(message)]);
    // Services may no longer import TypeORM either (below): the lawful neighbour is a repository.
    expect(errors('src/devices/devices.repository.ts', code)).toEqual([]);
  });

  it.each([
    ['src/devices/dto/session.dto.ts', "import type { GeoLocation } from '../geo-ip.service';"],
    ['src/auth/oidc/oidc.dto.ts', "import { OidcSignInService } from './oidc-sign-in.service';"],
    ['src/common/problem.dto.ts', "import { HealthService } from '../health/health.service';"],
  ])('DTO files import no services: %s', (path, code) => {
    const found = errors(path, code);
    expect(found).toContainEqual(expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*DTO files import no services/));
  });
  it.each([
    ['src/devices/geo-ip.ts', "import { DataSource } from 'typeorm';", /Only repositories .* reach the database/],
    ['src/common/auth/recent-auth.guard.ts', "import type { EntityManager } from 'typeorm';", /Only repositories .* reach the database/],
    ['src/auth/token-transport.ts', "import { InjectRepository } from '@nestjs/typeorm';", /Only repositories .* reach the database/],
    ['src/auth/dto/evil.dto.ts', "import { DataSource } from 'typeorm';", /Only repositories .* reach the database/],
    ['src/common/evil.ts', "import { TransactionHost } from '@nestjs-cls/transactional';", /go through Transactions/],
    ['src/devices/devices.service.ts', "import { Column } from 'typeorm';", /Services import no TypeORM/],
    ['src/devices/devices.service.ts', "import type { EntityManager } from 'typeorm';", /Services import no TypeORM/],
    ['src/devices/devices.service.ts', "import { TransactionHost } from '@nestjs-cls/transactional';", /go through Transactions/],
    ['src/health/health.service.ts', "import { DataSource } from 'typeorm';", /Services import no TypeORM/],
  ])('only repositories and database/ reach the database: %s %s', (path, code, message) => {
    expect(errors(path, code)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['src/devices/devices.service.ts', 'export const f = (db: { query(sql: string): unknown }) => db.query("SELECT 1");'],
    ['src/auth/evil.ts', 'export const f = (m: { createQueryBuilder(): unknown }) => m.createQueryBuilder();'],
  ])('only repositories and database/ run SQL: %s', (path, code) => {
    expect(errors(path, code)).toEqual([expect.stringMatching(/^no-restricted-syntax: Only repositories .* run SQL/)]);
  });

  it.each([
    [
      'src/sessions/sessions.repository.ts',
      "import { DataSource } from 'typeorm';\nexport const f = (d: DataSource) => d.query('SELECT 1');",
    ],
    ['src/database/transactions.ts', "import { TransactionHost } from '@nestjs-cls/transactional';"],
    ['src/accounts/user.entity.ts', "import { Column, Entity } from 'typeorm';"],
    ['src/accounts/accounts.module.ts', "import { TypeOrmModule } from '@nestjs/typeorm';"],
    ['src/devices/devices.service.ts', "import type { SessionEntity } from '../sessions/session.entity';"],
  ])('lets repositories, database/, entities and modules through: %s', (path, code) => {
    expect(errors(path, code)).toEqual([]);
  });
});
