/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault, security and cluster tests run on their own: `npm run test:faults`, `test:security`, `test:cluster`.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/faults/',
    '<rootDir>/test/security/',
    '<rootDir>/test/cluster/',
  ],
  testTimeout: 180_000,
  // A handle some test left open (a socket, a feed) must not hold the run open after its last result.
  forceExit: true,
  // After jest's own report, one plain line: 'Tests: N passed, N failed'.
  reporters: ['default', '<rootDir>/test/reporters/plain-summary.js'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
