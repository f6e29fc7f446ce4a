import { assign, decide, evolve, summarize, type TaskState, taskSpecSchema } from '../../domain';
import { actions } from '../../web/task-actions';

// A supervisor sees the forms that change a running task, each posting to its command's route; a
// department on the task sees none of them.

const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '严格环境准入',
  lead: ['区环保局'],
  cooperating: ['区经信局'],
  due: '2026-04-01',
});
let state: TaskState = evolve(undefined, assign(spec, '2026-01-01T01:00:00.000Z')[0]);
const ack = decide(state, { type: 'acknowledge', actor: '区环保局' }, '2026-01-01T02:00:00.000Z');
if (ack.ok) state = ack.events.reduce((s, e) => evolve(s, e), state);
const summary = summarize('task/tez/2-1-1', state);
const CHANGES = ['reassign', 'editTask', 'addMilestone', 'splitTask'];
const commandsOf = (html: string) => [...html.matchAll(/data-command="(\w+)"/g)].map((m) => m[1]);

test('the supervisor gets the four change forms, with the task as it stands filled in', () => {
  const html = actions({ role: 'supervisor', name: 'sup' }, summary, state, '2026-02-01').join('\n');
  expect(commandsOf(html)).toEqual(expect.arrayContaining(CHANGES));
  expect(html).toContain('action="/api/tasks/tez/2-1-1/reassign"');
  expect(html).toContain('name="lead" data-kind="list" value="区环保局"');
  expect(html).toContain('name="subs" data-kind="subs"');
  expect(html).toContain('max="2026-04-01"');
});

test('a department on the task gets none of them', () => {
  const html = actions({ role: 'department', department: '区环保局' }, summary, state, '2026-02-01').join(
    '\n',
  );
  expect(commandsOf(html).filter((c) => CHANGES.includes(c))).toEqual([]);
  expect(commandsOf(html)).toContain('reportProgress');
});
