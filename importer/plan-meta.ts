import type { PlanWarning } from './breakdown';
import { regionName } from './departments';
import type { PlanHeader } from './header';
import { slugFromFileName } from './plan-id';

const join = (xs: string[]) => xs.join('、');

/** The plan's regions: from the options (a flag or a directory), else the header's addressees; said where from. */
export function planRegions(
  header: PlanHeader,
  opts: { regions?: string[]; regionsFrom?: string },
  warnings: PlanWarning[],
): string[] {
  const named = header.addressees?.regions ?? [];
  if (opts.regions && opts.regions.length > 0) {
    const regions = [...new Set(opts.regions.map((r) => regionName(r) ?? r.trim()).filter((r) => r !== ''))];
    const from = opts.regionsFrom ?? '--regions';
    warnings.push({
      line: null,
      message: `镇街名单取自 ${from}：${join(regions)} / the regions come from ${from}`,
    });
    const missing = named.filter((r) => !regions.includes(r));
    if (missing.length > 0)
      warnings.push({
        line: header.addressees!.line,
        message: `文头主送的 ${join(missing)} 不在镇街名单中 / the header addresses ${join(missing)}, which the region list leaves out`,
      });
    return regions;
  }
  if (!header.addressees) return [];
  const { line, collectives } = header.addressees;
  if (named.length > 0)
    warnings.push({
      line,
      message: `镇街名单取自文头主送单位：${join(named)} / the regions come from the header's addressees`,
    });
  if (collectives.length > 0)
    warnings.push({
      line,
      message:
        `文头的“${join(collectives)}”没有列出具体名称，分解到镇街的任务缺少这些镇街；请用 --regions 给出完整名单 / ` +
        `the header addresses ${join(collectives)} without naming them: give the full region list with --regions`,
    });
  return named;
}

/** The plan id: given, else from the file name, else from the date it was issued; said where from. */
export function planId(
  opts: { id?: string; fileName?: string; today?: string },
  header: PlanHeader,
  warnings: PlanWarning[],
): string {
  if (opts.id) return opts.id;
  const fromFile = opts.fileName ? slugFromFileName(opts.fileName) : undefined;
  const id = fromFile ?? `plan-${(header.issuedOn ?? opts.today ?? '').replace(/-/g, '') || 'unnamed'}`;
  warnings.push({
    line: null,
    message: `方案编号 ${id} 取自${fromFile ? '文件名' : '发文日期'}，可用 --id 指定 / the plan id ${id} comes from the ${fromFile ? 'file name' : 'date'}: set it with --id`,
  });
  return id;
}
