/**
 * The recording of a task changed while it runs (改派, 修改, 增加里程碑, 拆分): the branches behind
 * TASK_CHANGE_PATCH, for the replay test (see record-histories.ts).
 */
import { addDays, dayOf, taskWorkflowId, type TaskState } from '../../domain';
import { taskWorkflow } from '../../workflows';
import { TASK_UPDATES, stateQuery } from '../../workflows/task-messages';
import { at9 } from '../helpers/duban-env';
import type { Recording } from './record-histories';

const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';
const NEW = '区水务局';

/**
 * Reassigned three days in (the new lead reminded, on its own ladder, then acknowledging), edited, a
 * milestone added, split into two sub-tasks; the parent and a sub-task cancelled.
 */
export const recordTaskChanges: Recording = async (duban) => {
  const { env } = duban;
  const taskQueue = 'record-task-changes';
  const worker = await duban.createWorker(taskQueue);
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));
  const today = dayOf(await env.currentTimeMs());
  const due = addDays(today, 60);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-6-1' }),
      args: [
        {
          spec: {
            plan: 'record',
            id: '2-6-1',
            title: '改派',
            text: '',
            lead: [LEAD],
            cooperating: [COOP],
            due,
          },
        },
      ],
    });
    for (const actor of [LEAD, COOP]) await h.executeUpdate(TASK_UPDATES.acknowledge, { args: [{ actor }] });
    await sleepUntil(at9(addDays(today, 3)) + HOUR);
    const supervisor = 'supervisor';
    await h.executeUpdate(TASK_UPDATES.reassign, {
      args: [{ actor: supervisor, lead: [NEW], reason: '机构改革' }],
    });
    // The new lead's reminder goes out on the ladder restarted from the reassignment.
    await sleepUntil(at9(addDays(today, 8)) + HOUR);
    const reminded: TaskState = await h.query(stateQuery);
    expect(reminded.ackReminded[NEW]).toBeDefined();
    await h.executeUpdate(TASK_UPDATES.acknowledge, { args: [{ actor: NEW }] });
    await h.executeUpdate(TASK_UPDATES.editTask, {
      args: [{ actor: supervisor, title: '改派后修改', content: '新的任务内容', reason: '表述调整' }],
    });
    await h.executeUpdate(TASK_UPDATES.addMilestone, {
      args: [{ actor: supervisor, due: addDays(today, 30), title: '完成方案', reason: '细化进度' }],
    });
    await h.executeUpdate(TASK_UPDATES.splitTask, {
      args: [
        {
          actor: supervisor,
          subs: [
            { title: '排查', due: addDays(today, 20), lead: [COOP] },
            { title: '建设', due, lead: [NEW], cooperating: [LEAD] },
          ],
          reason: '分解落实',
        },
      ],
    });
    const sub = env.client.workflow.getHandle(taskWorkflowId({ plan: 'record', id: '2-6-1.1' }));
    await sub.query(stateQuery);
    await sub.executeUpdate(TASK_UPDATES.acknowledge, { args: [{ actor: COOP }] });
    await sub.executeUpdate(TASK_UPDATES.cancel, { args: [{ actor: supervisor, reason: '并入主任务' }] });
    await h.executeUpdate(TASK_UPDATES.cancel, { args: [{ actor: supervisor, reason: '并入其他任务' }] });
    expect(await h.result()).toMatchObject({
      status: 'cancelled',
      subtasks: [{ id: '2-6-1.1' }, { id: '2-6-1.2' }],
    });
    expect(await sub.result()).toMatchObject({ status: 'cancelled', spec: { parent: '2-6-1' } });
    const other = env.client.workflow.getHandle(taskWorkflowId({ plan: 'record', id: '2-6-1.2' }));
    await other.executeUpdate(TASK_UPDATES.cancel, { args: [{ actor: supervisor, reason: '并入主任务' }] });
    await other.result();
    return {
      'task-change-v2': await h.fetchHistory(),
      'task-subtask-v2': await sub.fetchHistory(),
    };
  });
};
