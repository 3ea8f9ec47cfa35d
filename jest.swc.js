/**
 * One transform for every Nest project: SWC (fast, emits decorator metadata for Nest DI)
 * to CommonJS. NestJS 12, openid-client and oauth2-mock-server ship ES modules, so those packages are transformed too.
 */
module.exports = {
  transform: {
    '^.+\\.m?[tj]s$': [
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
    '/node_modules/(?!(@nestjs|uid|iterare|load-esm|file-type|token-types|strtok3|@tokenizer|content-disposition|cookie|openid-client|oauth4webapi|jose|oauth2-mock-server|is-plain-obj)/)',
  ],
};
