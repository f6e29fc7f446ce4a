/** `npm run test:security`: every security finding replayed as a request, asserting the refusal. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/security'],
  testPathIgnorePatterns: ['/node_modules/'],
};
