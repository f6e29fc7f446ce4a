/** `npm run test:faults`: the fault tests (real processes, minutes each); `npm test` leaves them out. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600_000,
};
