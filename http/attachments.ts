import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, denial, actorOf, type TaskScope } from '../services/auth';
import { cleanName, tooLarge, type AttachmentService, type UploadedFile } from '../services/attachments';
import { KINDS } from '../services/file-types';
import { resolveTaskId, type DubanClient } from '../services/facade';
import { ApiProblem, forbidden } from './errors';
import { attachment } from './office';
import { allow, signedIn } from './session';
import { TASK_PATHS, errors } from './schemas';

// 佐证材料 over the API: uploaded to a task as multipart/form-data, fetched back by their sha256.

/** Files in one upload, at most. */
export const MAX_FILES = 10;

const AttachmentInfo = z.object({
  sha256: z.string().describe('文件内容的 SHA-256（十六进制） / the content’s SHA-256 (hex)'),
  name: z.string(),
  size: z.number().int().describe('字节 / bytes'),
  type: z.string().describe('按内容识别的类型 / the type its content was recognised as'),
});

const UploadBody = z
  .object({
    file: z
      .array(z.string().meta({ format: 'binary' }))
      .describe(
        '一个或多个文件（PDF、JPG、PNG、DOCX、XLSX） / one or more files (PDF, JPG, PNG, DOCX, XLSX)',
      ),
  })
  .describe('multipart/form-data');

const ShaParams = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制 / sha256 must be 64 lowercase hex characters'),
});

const idOf = (p: { plan: string; id: string; region?: string }) =>
  resolveTaskId(['task', p.plan, p.id, p.region].filter(Boolean).join('/'));

export interface AttachmentRouteDeps {
  facade: Pick<DubanClient, 'summary' | 'state'>;
  /** Without it the routes answer 503. */
  attachments?: AttachmentService;
}

function unavailable(): ApiProblem {
  return new ApiProblem(503, {
    error: 'unavailable',
    message: '本服务未配置佐证材料存储 / this server keeps no attachments',
  });
}

export function registerAttachmentRoutes(app: FastifyInstance, deps: AttachmentRouteDeps): void {
  const { facade } = deps;

  /** Who is on the task: the projection, or the live state right after a start (404 when neither). */
  async function scopeOf(workflowId: string): Promise<TaskScope> {
    const s = await facade.summary(workflowId);
    if (s) return s;
    const { spec } = await facade.state(workflowId);
    return { lead: spec.lead, cooperating: spec.cooperating, region: spec.region };
  }

  /** The files of a multipart request, each read up to the size limit (the first one over it is named). */
  async function filesOf(req: FastifyRequest, service: AttachmentService): Promise<UploadedFile[]> {
    if (!req.isMultipart())
      throw new ApiProblem(415, {
        error: 'bad_request',
        field: 'content-type',
        message: 'content-type: 请以 multipart/form-data 上传文件 / send the files as multipart/form-data',
      });
    const out: UploadedFile[] = [];
    const parts = req.parts({
      limits: { fileSize: service.maxBytes, files: MAX_FILES, fields: 20, parts: MAX_FILES + 20 },
    });
    try {
      for await (const part of parts) {
        if (part.type !== 'file') continue;
        try {
          out.push({ name: part.filename, bytes: await part.toBuffer() });
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw tooLarge(cleanName(part.filename) || 'file', service.maxBytes);
          throw err;
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_FILES_LIMIT')
        throw new ApiProblem(413, {
          error: 'bad_request',
          field: 'file',
          code: 'too_many_files',
          message: `file: 一次最多上传 ${MAX_FILES} 个文件 / at most ${MAX_FILES} files at once`,
        });
      throw err;
    }
    return out;
  }

  // Multipart is parsed here only: every other route takes JSON.
  void app.register(async (scope) => {
    await scope.register(multipart);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    for (const [base, params] of TASK_PATHS)
      api.post(
        `${base}/attachments`,
        {
          schema: {
            tags: ['tasks'],
            summary:
              '上传佐证材料（multipart，字段 file，可多个），答复各文件的 sha256 / upload attachments, answered with each file’s sha256',
            consumes: ['multipart/form-data'],
            params,
            body: UploadBody,
            response: {
              200: z.object({ files: z.array(AttachmentInfo) }),
              ...errors(400, 401, 403, 404, 413, 415, 503),
            },
          },
          // The body is the multipart stream, read by the handler; the rest is checked as everywhere.
          validatorCompiler: (route) =>
            route.httpPart === 'body'
              ? () => ({ value: undefined })
              : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
          onRequest: async (req) => void allow(req, 'uploadAttachment'),
        },
        async (req) => {
          const workflowId = idOf(req.params);
          const p = allow(req, 'uploadAttachment', await scopeOf(workflowId));
          const service = deps.attachments;
          if (!service) throw unavailable();
          const files = await filesOf(req, service);
          return { files: await service.upload(workflowId, files, actorOf(p) ?? p.role) };
        },
      );
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/attachments/:sha256',
    {
      schema: {
        tags: ['tasks'],
        summary:
          '下载佐证材料（督查室、区领导，及该文件所属任务的单位） / an attachment (supervisors, leadership, the task’s departments)',
        params: ShaParams,
        response: {
          200: {
            description: '文件 / the file',
            content: Object.fromEntries(
              Object.values(KINDS).map((k) => [k.type, { schema: z.string().meta({ format: 'binary' }) }]),
            ),
          },
          ...errors(400, 401, 403, 404, 503),
        },
      },
      onRequest: async (req) => void signedIn(req),
    },
    async (req, reply) => {
      const p = allow(req, 'readAttachment');
      const service = deps.attachments;
      if (!service) throw unavailable();
      const { records, bytes } = await service.find(req.params.sha256);
      const notFound = () =>
        new ApiProblem(404, {
          error: 'not_found',
          message: `没有这个文件 ${req.params.sha256} / no attachment ${req.params.sha256}`,
        });
      if (records.length === 0) throw notFound();
      // Which tasks the file is on is read now: a task reassigned since tells its new departments.
      let mine: (typeof records)[number] | undefined;
      for (const r of records) {
        const task = await facade.summary(r.workflowId);
        if (task && can(p, 'readAttachment', task)) {
          mine = r;
          break;
        }
      }
      if (!mine) throw forbidden(denial(p, 'readAttachment'));
      if (!bytes) throw notFound();
      void reply.header('x-content-type-options', 'nosniff');
      return attachment(reply, mine.type, mine.name, bytes);
    },
  );
}
