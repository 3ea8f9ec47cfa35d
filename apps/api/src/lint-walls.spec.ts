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
    expect(errors('src/devices/devices.service.ts', code)).toEqual([]);
  });

  it.each([
    ['src/devices/dto/session.dto.ts', "import type { GeoLocation } from '../geo-ip.service';"],
    ['src/auth/oidc/oidc.dto.ts', "import { OidcSignInService } from './oidc-sign-in.service';"],
    ['src/common/problem.dto.ts', "import { HealthService } from '../health/health.service';"],
  ])('DTO files import no services: %s', (path, code) => {
    const found = errors(path, code);
    expect(found).toContainEqual(expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*DTO files import no services/));
  });
});
