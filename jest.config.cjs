/**
 * Two projects: `unit` (no I/O beyond the process) and `integration` (a real moto server over HTTP,
 * serverless package, cfn-lint). The moto server is started once by the global setup and stopped after.
 */
const transform = {
  '^.+\\.(t|j|mj)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
// middy ships ESM only: let swc turn it into CommonJS like our own code.
const transformIgnorePatterns = ['/node_modules/(?!@middy/)'];

module.exports = {
  // The stalled-AWS tests wait out 35 s stalls side by side; they sleep, so they can all run at once.
  maxConcurrency: 20,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/module-env.ts'],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/module-env.ts'],
      transform,
      transformIgnorePatterns,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
  ],
};
