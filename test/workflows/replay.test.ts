/**
 * Determinism guard: histories recorded from earlier versions of the task workflow must replay on the
 * current code. A change that would break running tasks fails here; such a change needs `patched()`.
 * Besides task workflows, the histories hold the interview child's and a region's restriction workflow's,
 * and the digest's (a scheduled run, recorded before the full list on request existed, and a full-list run);
 * the bundle holds every workflow type, so each replays the same way.
 *
 * `DUBAN_RECORD_HISTORY=1 npx jest test/workflows/replay` records one history per branch (see
 * record-histories.ts); `DUBAN_RECORD_HISTORY=<one of their names>` records that one again; any other
 * name records a new one from the scripted plain task life below.
 */
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { addDays, builtinCalendar, dayOf } from '../../domain';
import { taskWorkflow } from '../../workflows';
import {
  acknowledgeUpdate,
  rejectCompletionUpdate,
  reportProgressUpdate,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { startTimeSkippedDuban } from '../helpers/duban-env';
import { bundleWorkflows, timeSkippingEnv, uniqueId } from '../helpers/temporal';
import { RECORDINGS, WORKFLOW_IDS } from './record-histories';

const DIR = path.join(__dirname, '..', 'histories');
// Stored as protobuf binary: the SDK's JSON helpers trip over two copies of protobufjs in node_modules.
const saved = fs.readdirSync(DIR).filter((f) => f.endsWith('.history.pb'));
const History = temporal.api.history.v1.History;

test('saved histories exist', () => {
  expect(saved.length).toBeGreaterThan(0);
});

// One bundle for every replay: it holds every workflow type (task, interview, restriction).
let bundle: ReturnType<typeof bundleWorkflows> | undefined;
test.each(saved)('%s replays on the current workflow code', async (file) => {
  const history = History.decode(fs.readFileSync(path.join(DIR, file)));
  const workflowId = WORKFLOW_IDS[file.replace(/\.history\.pb$/, '')] ?? file;
  await Worker.runReplayHistory(
    { workflowBundle: await (bundle ??= bundleWorkflows()) },
    history,
    workflowId,
  );
});

const record = process.env.DUBAN_RECORD_HISTORY;
const branches = Object.keys(RECORDINGS);
const recordBranches = record === '1' || record === 'all' ? branches : branches.filter((b) => b === record);
const recordTaskLife =
  record !== undefined && record !== '' && record !== '1' && record !== 'all' && recordBranches.length === 0;

(recordBranches.length > 0 ? test.each : test.skip.each)(
  recordBranches.length > 0 ? recordBranches : branches,
)('record %s', async (name) => {
  const duban = await startTimeSkippedDuban('record');
  try {
    const recorded = await RECORDINGS[name](duban);
    for (const [file, history] of Object.entries(recorded)) {
      expect(history.events!.length).toBeGreaterThan(10);
      fs.writeFileSync(path.join(DIR, `${file}.history.pb`), History.encode(history).finish());
    }
  } finally {
    await duban.teardown();
  }
});

(recordTaskLife ? test : test.skip)(
  'record a task life (warnings, progress, rejection, verification)',
  async () => {
    const env: TestWorkflowEnvironment = await timeSkippingEnv();
    try {
      const taskQueue = uniqueId('record');
      const notices: string[] = [];
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await bundleWorkflows(),
        activities: {
          recordEvents: async () => undefined,
          getCalendar: async () => builtinCalendar(),
          sendNotice: async ({ notice }: { notice: { key: string } }) => {
            notices.push(notice.key);
            return { messageId: `<${notice.key}@record>`, recipients: [], status: 'sent' };
          },
        },
      });
      const due = addDays(dayOf(await env.currentTimeMs()), 40);
      await worker.runUntil(async () => {
        const h = await env.client.workflow.start(taskWorkflow, {
          taskQueue,
          workflowId: 'task/record/2-1-1',
          args: [
            {
              spec: {
                plan: 'record',
                id: '2-1-1',
                title: '记录',
                text: '',
                lead: ['区环保局'],
                cooperating: ['区经信局'],
                due,
              },
            },
          ],
        });
        await env.sleep('12 days');
        await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区环保局' }] });
        await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区经信局' }] });
        await h.executeUpdate(reportProgressUpdate, { args: [{ actor: '区经信局', note: '配合完成' }] });
        await env.sleep('25 days');
        await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区环保局', summary: '完成' }] });
        await h.executeUpdate(rejectCompletionUpdate, {
          args: [{ actor: 'supervisor', reason: '材料不全' }],
        });
        await env.sleep('5 days');
        await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区环保局', summary: '补充材料' }] });
        await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
        await h.result();
        fs.writeFileSync(
          path.join(DIR, `${record}.history.pb`),
          History.encode(await h.fetchHistory()).finish(),
        );
      });
      expect(notices.length).toBeGreaterThan(4);
    } finally {
      await env.teardown();
    }
  },
);
