import baseConfig from '../../eslint.config.mjs';

// This library is shared by the NestJS API and the Angular console, so its
// runtime code must stay framework-free and run in a browser.
const nodeOnlyModules = ['crypto', 'fs', 'path', 'os', 'util', 'buffer', 'process', 'events', 'stream', 'child_process'];

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeOnlyModules.map((name) => ({
            name,
            message: 'session-policy must run in the browser too.',
          })),
          patterns: [
            {
              group: ['node:*'],
              message: 'session-policy must run in the browser too.',
            },
            {
              group: ['@nestjs/*', '@angular/*', 'rxjs', 'rxjs/*', 'typeorm', 'class-validator', 'class-transformer'],
              message: 'session-policy holds pure rules: no framework imports.',
            },
            {
              group: ['fast-check'],
              message: 'Test-only dependency; use it in specs or src/testing.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
          name,
          message: 'Node-only global: session-policy must run in the browser too.',
        })),
        {
          name: 'Date',
          message: 'Inject the time (unix seconds) instead of reading the clock.',
        },
      ],
    },
  },
];
