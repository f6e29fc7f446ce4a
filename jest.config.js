/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault and security tests run on their own: `npm run test:faults`, `npm run test:security`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/', '<rootDir>/test/security/'],
  testTimeout: 180_000,
  globalSetup: '<rootDir>/test/global-setup.ts',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
