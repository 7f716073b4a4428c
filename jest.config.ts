import type { Config } from 'jest';

/** Native ESM on Node 24: our TypeScript is transformed by swc, ESM-only packages load as they are. */
export const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2024' }, module: { type: 'es6' } },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30_000,
  // Most suites wait on local servers: two workers keep both cores of a CI machine busy.
  maxWorkers: 2,
  setupFilesAfterEnv: ['<rootDir>/test/helpers/isolated-home.ts', '<rootDir>/test/helpers/metrics-off.ts'],
  // The pure code (no I/O) is held to a coverage floor by its unit tests: `npm test` runs test/unit with --coverage,
  // then test/integration without. V8's precise coverage counts every block of every script a test file runs, the
  // SDK's and the engine's too, and made the integration tests' thousands of volumes take half as long again.
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/policy/**/*.ts', 'src/report/**/*.ts', 'src/input/**/*.ts', '!src/input/update-readme.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: { global: { statements: 95, branches: 88, functions: 95, lines: 95 } },
};

export default config;
