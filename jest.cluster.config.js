/** `npm run test:cluster`: duban on Temporal's own server and PostgreSQL, two workers, two HTTP servers. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 900_000,
};
