/**
 * Both API tiers, so `jest -c apps/api/jest.config.cts <file>` runs any API spec; PostgreSQL starts
 * only when an integration file is among them. Nx: `nx test api` is the unit tier, `nx integration api`
 * the PostgreSQL tier.
 */
module.exports = {
  // A global option (ignored inside a project): the integration tier's bound.
  testTimeout: 30000,
  projects: ['<rootDir>/jest.unit.config.cts', '<rootDir>/jest.integration.config.cts'],
};
