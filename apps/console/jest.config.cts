const { createCjsPreset } = require('jest-preset-angular/presets');

/** Unit tests of the console's services, guards and pure helpers (jsdom, zoneless, like the app). */
module.exports = {
  displayName: 'console',
  preset: '../../jest.preset.js',
  ...createCjsPreset(),
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../coverage/apps/console',
};
