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

module.exports = [...folderWalls, controllerWall, dtoWall];
