import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import { CONTENT_TYPES } from '../office/document';
import { taskListTitle, taskListXlsx } from '../office/task-xlsx';
import { bulletinFile } from '../services/bulletin';
import type { DubanClient } from '../services/facade';
import { TaskSearchQuery } from '../services/task-search';
import type { Store } from '../store';
import { allow } from './session';
import { errors } from './schemas';

// The office formats: the 督查通报 (.docx, .pdf) and the task list as a 台账 (.xlsx).

const binary = (types: string[], what: string) => ({
  description: what,
  content: Object.fromEntries(types.map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])),
});

const BulletinQuery = z
  .object({
    plan: z
      .string({ error: '请给出方案编号 / plan is required' })
      .regex(SLUG, slugMessage('方案编号', 'a plan id')),
    period: z
      .string()
      .max(20)
      .optional()
      .describe('统计期：月份 2027-03、季度 2027Q1 或年份 2027（默认截至今日） / a month, quarter or year'),
    format: z
      .enum(['docx', 'pdf'], { error: 'format 应为 docx 或 pdf / format must be docx or pdf' })
      .default('docx'),
  })
  .strict();

/** The task list's filters, every match (no paging): what the list shows is what the sheet holds. */
const ExportQuery = TaskSearchQuery.omit({ page: true, pageSize: true });

/** Far above a real plan's tasks; a sheet beyond it would not open in an office anyway. */
const MAX_EXPORT = 50_000;

/** `attachment; filename="…"; filename*=UTF-8''…`: the Chinese name for browsers, an ASCII one for the rest. */
export function attachment(reply: FastifyReply, type: string, fileName: string, bytes: Buffer) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(type)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    )
    .send(bytes);
}

export function registerOfficeRoutes(
  app: FastifyInstance,
  deps: {
    facade: Pick<DubanClient, 'list' | 'ledger'>;
    store: Pick<Store, 'searchTasks'>;
    today: () => string;
  },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const source = {
    listTasks: (f: { plan: string }) => deps.facade.list(f),
    ledgerFor: (id: string) => deps.facade.ledger(id),
  };

  api.get(
    '/api/bulletin',
    {
      schema: {
        tags: ['bulletin'],
        summary:
          '督查通报（.docx 或 .pdf）：按单位、镇街统计，点名通报（督查室、区领导） / the bulletin (supervisors, leadership)',
        querystring: BulletinQuery,
        response: {
          200: binary([CONTENT_TYPES.docx, CONTENT_TYPES.pdf], '督查通报文件 / the bulletin file'),
          ...errors(400, 401, 403),
        },
      },
      onRequest: async (req) => void allow(req, 'readBulletin'),
    },
    async (req, reply) => {
      const { file } = await bulletinFile(source, { ...req.query, today: deps.today() });
      return attachment(reply, file.contentType, file.fileName, file.bytes);
    },
  );

  api.get(
    '/api/tasks/export.xlsx',
    {
      schema: {
        tags: ['tasks'],
        summary:
          '任务台账（Excel，筛选同任务列表） / the task list as an .xlsx ledger, with the list’s filters',
        querystring: ExportQuery,
        response: { 200: binary([CONTENT_TYPES.xlsx], '任务台账 / the task ledger'), ...errors(400, 401) },
      },
      onRequest: async (req) => void allow(req, 'readTasks'),
    },
    async (req, reply) => {
      const today = deps.today();
      const q = req.query;
      const { tasks } = await deps.store.searchTasks({
        plan: q.plan,
        department: q.department,
        region: q.region,
        status: q.status,
        escalation: q.escalation,
        text: q.q,
        ...(q.overdue ? { overdue: { today, is: q.overdue === 'true' } } : {}),
        limit: MAX_EXPORT,
        offset: 0,
      });
      const bytes = await taskListXlsx(tasks, today, taskListTitle(q, today));
      return attachment(reply, CONTENT_TYPES.xlsx, `督办任务台账-${today}.xlsx`, bytes);
    },
  );
}
