import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The benchmark runs the API's own code on purpose (the exact rotation statement, the real
    // app factory, the repositories' SQL), so that nothing it measures can drift from the product.
    files: ['**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
