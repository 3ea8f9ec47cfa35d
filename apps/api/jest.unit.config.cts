const swc = require('../../jest.swc.js');

/**
 * The fast tier: the `*.spec.ts` next to the code in `src/`. No PostgreSQL, no global setup;
 * a single class with its collaborators mocked, or a pure function. Seconds.
 */
module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  ...swc,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  roots: ['<rootDir>/src'],
  // As before the split: a loaded CI machine can take seconds to load a parser or a GeoIP database.
  testTimeout: 30000,
  coverageDirectory: '../../coverage/apps/api',
};
