import baseConfig from '../../eslint.config.mjs';

// The generated client is excluded in the root config (it says "DO NOT EDIT");
// only the hand-written public API in src/index.ts is linted here.
export default [...baseConfig, { ignores: ['scripts/**'] }];
