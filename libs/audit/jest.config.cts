const swc = require('../../jest.swc.js');

module.exports = {
  displayName: 'audit',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  ...swc,
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/audit',
};
