import type { CommandArgs } from './commands';
import type { Rejection, SubtaskRef, TaskEvent, TaskEventBody } from './task-events';
import { submittingDepartment, taskWorkflowId, type TaskSpec } from './task-spec';
import type { MilestoneState, TaskState } from './task-state';
import { SLUG } from './vocabulary';

// What a supervisor's change to a running task does (转办 / 改派, edit, a milestone added, a split): who
// may send it and its fields are the contract's (commands.ts); here are its decision and its effect on
// the state. Every event keeps what was before, so the ledger shows the change both ways.

export type ChangeCommand =
  | ({ type: 'reassign' } & CommandArgs['reassign'])
  | ({ type: 'editTask' } & CommandArgs['editTask'])
  | ({ type: 'addMilestone' } & CommandArgs['addMilestone'])
  | ({ type: 'splitTask' } & CommandArgs['splitTask']);

export type ChangeEvent = Extract<
  TaskEvent,
  { type: 'TaskReassigned' | 'TaskEdited' | 'MilestoneAdded' | 'TaskSplit' }
>;

type Outcome = { ok: true; body: TaskEventBody } | { ok: false; rejection: Rejection };
const no = (code: string, zh: string, en: string): Outcome => ({ ok: false, rejection: { code, zh, en } });
const yes = (body: TaskEventBody): Outcome => ({ ok: true, body });

const trimmed = (names: readonly string[]) => names.map((d) => d.trim());
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** The most milestones a task holds (the task file's limit). */
const MAX_MILESTONES = 50;

/** The event a change causes, or why it is refused; `today` is the task's calendar day. */
export function decideChange(state: TaskState, cmd: ChangeCommand, today: string): Outcome {
  const spec = state.spec;
  switch (cmd.type) {
    case 'reassign': {
      if (cmd.lead === undefined && cmd.cooperating === undefined)
        return no(
          'nothing_to_change',
          '请给出新的牵头单位（lead）或配合单位（cooperating）',
          'give the new lead or cooperating departments',
        );
      const lead = cmd.lead ? trimmed(cmd.lead) : spec.lead;
      // A cooperating department made lead leaves the cooperating ones unless they are given anew.
      const cooperating = cmd.cooperating
        ? trimmed(cmd.cooperating)
        : spec.cooperating.filter((d) => !lead.includes(d));
      const both = lead.find((d) => cooperating.includes(d));
      if (both)
        return no(
          'department_twice',
          `${both} 不能同时是牵头单位和配合单位`,
          `${both} cannot be both a lead and a cooperating department`,
        );
      if (same(lead, spec.lead) && same(cooperating, spec.cooperating))
        return no(
          'no_change',
          '牵头单位和配合单位与现在相同，无需改派',
          'the task already has these lead and cooperating departments',
        );
      const before = [...spec.lead, ...spec.cooperating];
      const after = [...lead, ...cooperating];
      const added = after.filter((d) => !before.includes(d));
      const newFirst = submittingDepartment({ lead }) !== submittingDepartment(spec);
      return yes({
        type: 'TaskReassigned',
        by: cmd.actor,
        reason: cmd.reason.trim(),
        before: { lead: spec.lead, cooperating: spec.cooperating },
        after: { lead, cooperating },
        released: before.filter((d) => !after.includes(d)),
        reacknowledge: newFirst && !added.includes(lead[0]) ? [lead[0], ...added] : added,
      });
    }
    case 'editTask': {
      if (cmd.title === undefined && cmd.content === undefined)
        return no(
          'nothing_to_change',
          '请给出新的任务名称（title）或任务内容（content）',
          'give the new title or content',
        );
      const title = cmd.title?.trim() ?? spec.title;
      const text = cmd.content?.trim() ?? spec.text;
      if (title === spec.title && text === spec.text)
        return no(
          'no_change',
          '任务名称和内容与现在相同，无需修改',
          'the title and content are already these',
        );
      return yes({
        type: 'TaskEdited',
        by: cmd.actor,
        reason: cmd.reason.trim(),
        before: { title: spec.title, text: spec.text },
        after: { title, text },
      });
    }
    case 'addMilestone': {
      const ms = state.milestones ?? [];
      if (cmd.due <= today)
        return no('date_not_later', `due 应晚于 ${today}`, `due must be later than ${today}`);
      if (cmd.due > state.due)
        return no(
          'milestone_after_due',
          `里程碑日期 ${cmd.due} 晚于任务截止日期 ${state.due}，请先调整截止日期`,
          `the milestone's date ${cmd.due} is after the task's due date ${state.due}; move the due date first`,
        );
      const taken = ms.find((m) => m.due === cmd.due);
      if (taken)
        return no(
          'milestone_date_taken',
          `${cmd.due} 已有里程碑「${taken.title}」`,
          `there is already a milestone on ${cmd.due}`,
        );
      if (ms.length >= MAX_MILESTONES)
        return no(
          'too_many_milestones',
          `里程碑过多（最多 ${MAX_MILESTONES} 个）`,
          `too many milestones (max ${MAX_MILESTONES})`,
        );
      return yes({
        type: 'MilestoneAdded',
        by: cmd.actor,
        reason: cmd.reason.trim(),
        milestone: ms.filter((m) => m.due < cmd.due).length + 1,
        due: cmd.due,
        title: cmd.title.trim(),
      });
    }
    case 'splitTask': {
      const first = (state.subtasks?.length ?? 0) + 1;
      const subtasks: SubtaskRef[] = [];
      for (const [i, s] of cmd.subs.entries()) {
        const at = `subs[${i}]`;
        if (s.due <= today)
          return no('date_not_later', `${at}.due 应晚于 ${today}`, `${at}.due must be later than ${today}`);
        if (s.due > state.due)
          return no(
            'subtask_after_due',
            `${at}.due ${s.due} 晚于任务截止日期 ${state.due}`,
            `${at}.due ${s.due} is after the task's due date ${state.due}`,
          );
        const lead = trimmed(s.lead);
        const cooperating = trimmed(s.cooperating ?? []);
        const both = lead.find((d) => cooperating.includes(d));
        if (both)
          return no(
            'department_twice',
            `${at}：${both} 不能同时是牵头单位和配合单位`,
            `${at}: ${both} cannot be both a lead and a cooperating department`,
          );
        const id = `${spec.id}.${first + i}`;
        if (!SLUG.test(id))
          return no('bad_subtask_id', `子任务编号 ${id} 过长`, `the sub-task id ${id} is too long (max 64)`);
        subtasks.push({
          id,
          workflowId: taskWorkflowId({ plan: spec.plan, id, region: spec.region }),
          title: s.title.trim(),
          due: s.due,
          lead,
          cooperating,
        });
      }
      return yes({ type: 'TaskSplit', by: cmd.actor, reason: cmd.reason.trim(), subtasks });
    }
  }
}

/** `milestone:3:warning:7@…` -> `milestone:4:…` for milestones from `from` on (one added before them). */
function renumbered(fired: string[], from: number): string[] {
  return fired.map((k) => {
    const m = /^milestone:(\d+):/.exec(k);
    if (!m || Number(m[1]) < from) return k;
    return `milestone:${Number(m[1]) + 1}:${k.slice(m[0].length)}`;
  });
}

const without = <T>(r: Record<string, T>, names: string[]) =>
  Object.fromEntries(Object.entries(r).filter(([d]) => !names.includes(d)));

/** The state after a change: `s` is already a copy with this event's seq and time. */
export function evolveChange(s: TaskState, e: ChangeEvent): TaskState {
  switch (e.type) {
    case 'TaskReassigned': {
      const reset = [...e.reacknowledge, ...e.released];
      s.spec = { ...s.spec, lead: e.after.lead, cooperating: e.after.cooperating } as TaskSpec;
      s.acknowledged = without(s.acknowledged, reset);
      s.ackReminded = without(s.ackReminded, reset);
      s.fired = s.fired.filter((k) => !reset.some((d) => k === `ack-alert:${d}`));
      // Their acknowledgement ladder starts again from today, not from the assignment.
      s.ackFrom = {
        ...without(s.ackFrom ?? {}, e.released),
        ...Object.fromEntries(e.reacknowledge.map((d) => [d, e.at])),
      };
      if (!same(e.before.lead, e.after.lead)) s.cosigned = undefined;
      if (s.status === 'acknowledged' && !s.acknowledged[submittingDepartment(s.spec)]) s.status = 'assigned';
      if (s.status === 'assigned' && s.acknowledged[submittingDepartment(s.spec)]) s.status = 'acknowledged';
      return s;
    }
    case 'TaskEdited':
      s.spec = { ...s.spec, title: e.after.title, text: e.after.text };
      return s;
    case 'MilestoneAdded': {
      const ms: MilestoneState[] = [...(s.milestones ?? [])];
      ms.splice(e.milestone - 1, 0, { due: e.due, title: e.title, status: 'open', rejections: [] });
      s.milestones = ms;
      s.fired = renumbered(s.fired, e.milestone);
      return s;
    }
    case 'TaskSplit':
      s.subtasks = [...(s.subtasks ?? []), ...e.subtasks];
      return s;
  }
}

/** The task a split starts: the parent's plan, region and policy, linked to it by `parent`. */
export function subtaskSpec(parent: TaskSpec, sub: SubtaskRef): TaskSpec {
  return {
    plan: parent.plan,
    id: sub.id,
    title: sub.title,
    text: '',
    lead: sub.lead,
    cooperating: sub.cooperating,
    due: sub.due,
    ...(parent.region ? { region: parent.region } : {}),
    ...(parent.policy ? { policy: parent.policy } : {}),
    parent: parent.id,
  };
}
