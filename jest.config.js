/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  modulePathIgnorePatterns: ['<rootDir>/lib', '<rootDir>/.data', '<rootDir>/.tools'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Workflows against a time-skipping test server with scripted activities; one bundle, files one at a time.
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/workflow-setup.ts',
    },
    // Recorded histories replayed on the current workflow code (no server): a deploy must not break running runs.
    { ...common, displayName: 'replay', testMatch: ['<rootDir>/test/replay/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/helpers/integration-timeout.ts'],
    },
    // Headless Chromium against the Temporal UI; it starts its own dev server, codec server, worker and emulators.
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
    // README.md's shell blocks, run as written against `pendoflow demo`, which it starts and stops.
    { ...common, displayName: 'readme', testMatch: ['<rootDir>/test/readme/**/*.test.ts'] },
  ],
  // Integration files share one dev server; running them one at a time keeps a 2-core machine honest.
  maxWorkers: 1,
};
