const swc = require('../../jest.swc.js');

/** The integration tier: `test/`, over real HTTP against real PostgreSQL. */
module.exports = {
  displayName: 'api-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  ...swc,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  roots: ['<rootDir>/test'],
  // One real PostgreSQL for the run; each test file gets its own database from a migrated template.
  // Started only when a file of this project runs.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  coverageDirectory: '../../coverage/apps/api-integration',
};
