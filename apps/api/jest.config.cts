const swc = require('../../jest.swc.js');

module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  ...swc,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // One real PostgreSQL for the run; each test file gets its own database from a migrated template.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  coverageDirectory: '../../coverage/apps/api',
};
