import baseConfig from '../../eslint.config.mjs';

// The generated client says "DO NOT EDIT"; only the hand-written public API
// (src/index.ts) is linted.
export default [...baseConfig, { ignores: ['src/generated/**', 'scripts/**'] }];
