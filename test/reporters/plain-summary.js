// Jest's own closing line ("Tests: 9 passed, 9 total") gives no failure count when none failed, and a suite
// that could not even load counts no failed test. One plain line always gives both counts; with
// DUBAN_TEST_SUMMARY set, the counts are also appended to that file so .ci/run can total its runs.
const fs = require('node:fs');

class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(
      `\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
    );
    if (process.env.DUBAN_TEST_SUMMARY) {
      fs.appendFileSync(process.env.DUBAN_TEST_SUMMARY, `${passed} ${failed} ${skipped}\n`);
    }
  }
}

module.exports = PlainSummaryReporter;
