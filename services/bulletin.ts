import { parsePeriod, type Bulletin, type BulletinPeriod } from '../domain/bulletin';
import { isSlug, slugMessage } from '../domain';
import { loadBulletin, renderBulletin, type BulletinSource, type RenderedFile } from '../office/bulletin';
import { OFFICE_FORMATS, type OfficeFormat } from '../office/document';
import { BadInput } from './errors';

// The 督查通报 for the CLI and the API: the request's words checked here, the figures in domain/bulletin.ts.

export interface BulletinRequest {
  plan: string;
  period?: string;
  format: string;
  today: string;
}

/** The period a request names, or a BadInput naming `period`. */
export function periodOf(text: string | undefined, today: string): BulletinPeriod {
  const p = parsePeriod(text, today);
  if ('error' in p) throw new BadInput('period', p.error);
  return p;
}

export function formatOf(text: string): OfficeFormat {
  if ((OFFICE_FORMATS as readonly string[]).includes(text)) return text as OfficeFormat;
  throw new BadInput('format', `格式应为 docx 或 pdf：${text} / the format must be docx or pdf: ${text}`);
}

export async function bulletinFile(
  source: BulletinSource,
  r: BulletinRequest,
): Promise<{ bulletin: Bulletin; file: RenderedFile }> {
  if (!isSlug(r.plan)) throw new BadInput('plan', slugMessage('方案编号', 'a plan id'));
  const format = formatOf(r.format);
  const bulletin = await loadBulletin(source, {
    plan: r.plan,
    period: periodOf(r.period, r.today),
    today: r.today,
  });
  if (bulletin.total.tasks === 0)
    throw new BadInput(
      'plan',
      `方案 ${r.plan} 在 ${bulletin.asOf} 前没有交办的任务 / plan ${r.plan} had no task by ${bulletin.asOf}`,
    );
  return { bulletin, file: await renderBulletin(bulletin, format) };
}
