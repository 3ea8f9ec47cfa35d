/**
 * One transform for every Nest project: SWC (fast, emits decorator metadata for Nest DI)
 * to CommonJS. NestJS 12 ships ES modules, so those packages are transformed too.
 */
module.exports = {
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|uid|iterare|load-esm|file-type|token-types|strtok3|@tokenizer|content-disposition|cookie)/)',
  ],
};
