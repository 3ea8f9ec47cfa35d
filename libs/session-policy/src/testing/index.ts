/**
 * `@sessions/session-policy/testing`: the library's fast-check arbitraries and example
 * builders, for specs of the library's users (the API's property test of the rotation
 * statement draws its policies from here, so SQL and library are judged on the same
 * inputs). Test-only: fast-check is a dev dependency, and lint keeps this entry point
 * out of every production source file (root eslint.config.mjs).
 */
export * from './arbitraries';
export * from './builders';
