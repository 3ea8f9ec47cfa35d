/**
 * The API's internal walls (issue 13), as lint rules so they cannot regress. Globs are
 * relative to apps/api. Two rule instances so a file can sit behind two walls at once
 * (common/problem.dto.ts is in common/ and is a DTO): `no-restricted-imports` holds the
 * folder walls, `@typescript-eslint/no-restricted-imports` the layer walls.
 * Proven to fire by src/lint-walls.spec.ts.
 */

/** A relative import that leaves common/ and config/ for any other folder (features, the app root). */
const outsideCommonAndConfig = (depth) => ({
  regex: `^${'\\.\\./'.repeat(depth)}(?!(common|config)(/|$))`,
  message: 'common/ and config/ import no feature folder: move the shared piece into common/, or pass it in from the feature.',
});

const folderWalls = [1, 2, 3].map((depth) => ({
  files: ['common', 'config'].map((folder) => `src/${folder}/${'*/'.repeat(depth - 1)}*.ts`),
  rules: { 'no-restricted-imports': ['error', { patterns: [outsideCommonAndConfig(depth)] }] },
}));

/**
 * Only repositories (`*.repository.ts`) and database/ hold SQL (issue 13, ADR 0022): elsewhere
 * no `DataSource`, `EntityManager`, `QueryRunner` or TypeORM `Repository`, and no transaction
 * host — services run transactions through database/transactions.ts.
 */
const persistencePaths = [
  {
    name: 'typeorm',
    importNames: ['DataSource', 'EntityManager', 'QueryRunner', 'Repository', 'SelectQueryBuilder'],
    message: 'Only repositories (*.repository.ts) and database/ reach the database: add a repository method.',
  },
  {
    name: '@nestjs/typeorm',
    importNames: ['InjectRepository', 'InjectDataSource', 'InjectEntityManager'],
    message: 'Only repositories (*.repository.ts) and database/ reach the database: add a repository method.',
  },
  {
    name: '@nestjs-cls/transactional',
    message: 'Transactions go through Transactions (database/transactions.ts); repositories read TransactionHost.tx.',
  },
  {
    name: '@nestjs-cls/transactional-adapter-typeorm',
    message: 'Transactions go through Transactions (database/transactions.ts); repositories read TransactionHost.tx.',
  },
];

/** Where persistence may live: repositories, database/, and the rate-limit store handing the pool to rate-limiter-flexible. */
const persistenceAllowed = [
  'src/**/*.repository.ts',
  'src/database/**',
  'src/rate-limit/limiter-store.ts',
  'src/rate-limit/rate-limit.module.ts',
];

/** A call of `.query(…)` or `.createQueryBuilder(…)`: SQL being run. */
const sqlCalls = [
  {
    selector: 'CallExpression[callee.property.name=/^(query|createQueryBuilder)$/]',
    message: 'Only repositories (*.repository.ts) and database/ run SQL: add a repository method.',
  },
];

const persistenceWall = {
  files: ['src/**/*.ts'],
  ignores: [...persistenceAllowed, 'src/**/*.spec.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { paths: persistencePaths }],
    'no-restricted-syntax': ['error', ...sqlCalls],
  },
};

/** The revocation listener's `LISTEN` runs on its own pg connection (not the pool), by design (ADR on the revocation cache). */
const listenerException = {
  files: ['src/sessions/session-revocations.service.ts'],
  rules: { 'no-restricted-syntax': 'off' },
};

/** Services import nothing of TypeORM at all (entities are their own files). */
const serviceWall = {
  files: ['src/**/*.service.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          { name: 'typeorm', message: 'Services import no TypeORM: the SQL is a repository method, the transaction is Transactions.run.' },
          {
            name: '@nestjs/typeorm',
            message: 'Services import no TypeORM: the SQL is a repository method, the transaction is Transactions.run.',
          },
          ...persistencePaths.slice(2),
        ],
        patterns: [{ regex: '^typeorm/', message: 'Services import no TypeORM: the SQL is a repository method.' }],
      },
    ],
  },
};

const controllerWall = {
  files: ['src/**/*.controller.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          { name: 'typeorm', message: 'Controllers stay thin: no TypeORM or DataSource; call a service.' },
          { name: '@nestjs/typeorm', message: 'Controllers stay thin: no repositories or DataSource; call a service.' },
        ],
        patterns: [
          { regex: '\\.repository$', message: 'Controllers import no repositories: call a service.' },
          { regex: '(^|/)database/', message: 'Controllers do not reach the database layer: call a service.' },
        ],
      },
    ],
  },
};

const dtoWall = {
  files: ['src/**/dto/**/*.ts', 'src/**/*.dto.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: persistencePaths,
        patterns: [
          {
            regex: '\\.service$',
            message: 'DTO files import no services (services import DTOs): put the shared type in its own file.',
          },
        ],
      },
    ],
  },
};

// Order matters where files match two walls of one rule: the later options win, so the
// stricter walls come last (controllers and services forbid all of TypeORM; DTOs carry the
// persistence paths along).
module.exports = [...folderWalls, persistenceWall, listenerException, serviceWall, controllerWall, dtoWall];
