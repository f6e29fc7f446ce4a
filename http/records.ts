import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../store';
import type { AttachmentService } from '../services/attachments';
import { BadInput } from '../services/errors';
import { resolveTaskId } from '../services/facade';
import { allow } from './session';
import { errors, name } from './schemas';

// 追责 records and the ledger's own check: for the supervision office and leadership.

const AccountabilityQuery = z
  .object({
    person: name.optional().describe('姓名：调任后仍可查（终身追责） / a person, wherever they serve now'),
    department: name.optional().describe('时任单位 / the department served in at the time'),
    task: z.string().min(1).max(300).optional().describe('任务编号 plan/id[/region]'),
  })
  .strict();

const Record = z.object({
  id: z.number().int(),
  person: z.object({ name: z.string(), post: z.string(), department: z.string() }),
  taskWorkflowId: z.string(),
  plan: z.string(),
  taskId: z.string(),
  taskTitle: z.string(),
  rung: z.string(),
  reason: z.string(),
  referral: z.string(),
  at: z.string(),
});

const Verification = z.union([
  z.object({
    ok: z.literal(true),
    rows: z.number().int(),
    superseded: z
      .number()
      .int()
      .optional()
      .describe('rows a later decision of their workflow replaced (absent when none)'),
  }),
  z.object({
    ok: z.literal(false),
    rows: z.number().int(),
    firstBadId: z.number().int(),
    problem: z.string(),
  }),
]);

export function registerRecordRoutes(
  app: FastifyInstance,
  store: Pick<Store, 'listAccountability' | 'verifyLedger'>,
  /** With it, the files the ledger names are checked against their hashes too. */
  attachments?: Pick<AttachmentService, 'verifyLedger'>,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/accountability',
    {
      schema: {
        tags: ['accountability'],
        summary: '追责记录（督查室、区领导） / accountability records (supervisors, leadership)',
        querystring: AccountabilityQuery,
        response: {
          200: z.object({ count: z.number().int(), records: z.array(Record) }),
          ...errors(400, 401, 403),
        },
      },
      onRequest: async (req) => void allow(req, 'readAccountability'),
    },
    async (req) => {
      const { person, department, task } = req.query;
      let taskWorkflowId: string | undefined;
      try {
        taskWorkflowId = task === undefined ? undefined : resolveTaskId(task);
      } catch (err) {
        if (err instanceof BadInput) throw new BadInput('task', `task: ${err.message}`);
        throw err;
      }
      const records = await store.listAccountability({ person, department, taskWorkflowId });
      return { count: records.length, records };
    },
  );

  api.get(
    '/api/ledger/verify',
    {
      schema: {
        tags: ['ledger'],
        summary: '校验整个账本的哈希链 / verify the whole hash chain',
        response: { 200: Verification, ...errors(401, 403) },
      },
      onRequest: async (req) => void allow(req, 'verifyLedger'),
    },
    async () => {
      if (!attachments) return store.verifyLedger();
      const { files: _files, ...v } = await attachments.verifyLedger();
      return v;
    },
  );
}
