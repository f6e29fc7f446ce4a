import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COMMANDS, SET_BY_DUBAN, commandLabel } from '../domain';
import { actorOf, type TaskScope } from '../services/auth';
import {
  COMMAND_NAMES,
  resolveTaskId,
  type CommandArgs,
  type CommandName,
  type DubanClient,
} from '../services/facade';
import { taskDetail } from '../services/task-detail';
import { visibleLedger } from '../services/visibility';
import { TaskSearchQuery, searchTasks } from '../services/task-search';
import type { Store } from '../store';
import { ApiProblem, temporalAnswers } from './errors';
import { allow } from './session';
import {
  DueChange,
  LedgerEntry,
  MilestoneItem,
  PlannedRung,
  TASK_PATHS,
  TaskSummary,
  errors,
} from './schemas';

/** Sent by older clients; the actor is always the token's (a department cannot act for another). */
const actor = z.string().optional().describe('忽略：操作者由令牌决定 / ignored: the token decides who acts');

/** Each command's body: the contract's payload (its limits and formats), the actor ignored. */
export const COMMAND_BODIES = {} as Record<CommandName, z.ZodObject>;
for (const c of COMMAND_NAMES)
  COMMAND_BODIES[c] = (COMMANDS[c].schema as z.ZodObject).omit(SET_BY_DUBAN).extend({ actor });

const CommandResult = z.object({
  workflowId: z.string(),
  status: TaskSummary.shape.status,
  due: z.string(),
  escalation: TaskSummary.shape.escalation,
  acknowledged: z.array(z.string()),
  seq: z.number().int(),
});

const TaskPage = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  count: z.number().int(),
  tasks: z.array(TaskSummary),
});

const TaskDetail = z.object({
  task: TaskSummary,
  ledger: z.array(LedgerEntry),
  dueHistory: z.array(DueChange),
  milestones: z.array(MilestoneItem).describe('里程碑，按日期先后 / milestones, earliest first'),
  upcoming: z
    .array(PlannedRung)
    .nullable()
    .describe('null：流程未及时响应 / null: the workflow did not answer in time'),
});

/**
 * A command's body is JSON, said so by its content type (`{}` when there is nothing to say). A browser
 * may send a body-less or text/plain POST to another origin without asking first (a CORS "simple"
 * request), so only a bearer-token caller — never a browser riding a cookie — may leave the body out.
 */
function requireJson(req: FastifyRequest): void {
  const type = req.headers['content-type'];
  if (type === undefined ? req.authVia !== 'cookie' : /^application\/json\s*(;|$)/i.test(type)) return;
  throw new ApiProblem(415, {
    error: 'bad_request',
    field: 'content-type',
    message:
      'content-type: 请以 application/json 发送（无内容时发送 {}） / send application/json (`{}` when there is nothing to say)',
  });
}

/** The full id: a region param is one segment, even one stored with `/` (encoded `%2F`). */
const idOf = (p: { plan: string; id: string; region?: string }) =>
  resolveTaskId(['task', p.plan, p.id, p.region].filter(Boolean).join('/'));

export interface TaskRouteDeps {
  facade: DubanClient;
  store: Pick<Store, 'searchTasks'> & Partial<Pick<Store, 'calendarYears'>>;
  today: () => string;
  upcomingTimeoutMs?: number;
  /** A department's 分管领导, where its completions need in-department approval (services/people.ts). */
  approverOf?: (department: string) => string | undefined;
}

export function registerTaskRoutes(app: FastifyInstance, deps: TaskRouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { facade } = deps;

  api.get(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: '任务列表（筛选、分页） / tasks, filtered and paged',
        querystring: TaskSearchQuery,
        response: { 200: TaskPage, ...errors(400, 401) },
      },
      onRequest: async (req) => void allow(req, 'readTasks'),
    },
    async (req) => {
      allow(req, 'readTasks');
      const page = await searchTasks(deps.store, req.query, deps.today());
      return { ...page, count: page.tasks.length };
    },
  );

  for (const [url, params] of TASK_PATHS)
    api.get(
      url,
      {
        schema: {
          tags: ['tasks'],
          summary:
            '任务详情：办理记录、截止日期变更、后续节点 / a task: timeline, due-date history, rungs ahead',
          params,
          response: { 200: TaskDetail, ...errors(400, 401, 404) },
        },
        onRequest: async (req) => void allow(req, 'readTasks'),
      },
      async (req) => {
        const p = allow(req, 'readTasks');
        const years = deps.store.calendarYears && (() => deps.store.calendarYears!());
        const d = await taskDetail(facade, idOf(req.params), deps.upcomingTimeoutMs, years);
        return { ...d, ledger: visibleLedger(p, d.ledger) };
      },
    );

  /** The task's scope for `can`: the projection, or the live state right after a start. */
  async function scopeOf(workflowId: string): Promise<TaskScope> {
    const s = await facade.summary(workflowId);
    if (s) {
      // Whether every lead signs (`completion`) is the spec's: the projection does not hold it, the ledger does.
      if (s.lead.length < 2) return s;
      const first = (await facade.ledger(workflowId))[0]?.event;
      return first?.type === 'TaskAssigned' ? { ...s, policy: first.spec.policy } : s;
    }
    const { spec } = await facade.state(workflowId);
    return { lead: spec.lead, cooperating: spec.cooperating, region: spec.region, policy: spec.policy };
  }

  for (const command of COMMAND_NAMES) {
    const body = COMMAND_BODIES[command];
    for (const [base, params] of TASK_PATHS)
      api.post(
        `${base}/${command}`,
        {
          schema: {
            tags: ['commands'],
            summary: commandLabel(command),
            params,
            body: Object.keys(COMMANDS[command].args()).length === 0 ? body.nullish() : body,
            response: { 200: CommandResult, ...errors(400, 401, 403, 404, 409, 415, 503) },
          },
          // Who may never do this is told so before the body is looked at.
          onRequest: async (req) => {
            allow(req, command);
            requireJson(req);
          },
        },
        async (req) => {
          const workflowId = idOf(req.params);
          const p = allow(req, command, await scopeOf(workflowId));
          await temporalAnswers(facade);
          const { actor: _ignored, ...args } = (req.body ?? {}) as Record<string, unknown>;
          const actor = actorOf(p)!;
          // The person and the approver are the token's and the directory's, never the body's.
          const approver =
            command === 'submitCompletion' && p.role === 'department' ? deps.approverOf?.(actor) : undefined;
          const state = await facade.command(workflowId, command, {
            ...args,
            actor,
            ...(p.person ? { person: p.person } : {}),
            ...(approver ? { approver } : {}),
          } as CommandArgs[typeof command]);
          return {
            workflowId,
            status: state.status,
            due: state.due,
            escalation: state.escalation,
            acknowledged: Object.keys(state.acknowledged),
            seq: state.seq,
          };
        },
      );
  }
}
