import YAML, { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Breakdown, BreakdownTask } from './breakdown';
import { BreakdownTooComplex, BreakdownUnreadable } from './errors';

const EVERY_ZH = { week: '每周', month: '每月', quarter: '每季度', 'half-year': '每半年', year: '每年' };

const HEADER = (b: Breakdown) => `\
 ${b.plan.title} — 任务分解表（草稿） / task breakdown (draft)
 由 duban plan import 从方案原文生成，请督查室逐项核对后再交办 / generated from the plan's text: review it, then start it.
 
 核对要点 / what to review:
   lead         牵头单位，第一个负责提交办结 / lead departments; the first one submits completion
   cooperating  配合单位 / cooperating departments
   due          截止日期：交办后据此预警、催办、约谈。dueRule 说明来由 / the due date the workflow runs to:
                  deadline 原文期限 · last-deadline 多个期限取最后一个 · plan-end 原文无期限，取方案末年 · manual 人工设定
   regions      非空则交办时每个镇街一项 / non-empty: started once per region (镇街)
   restriction  逾期未整改时限批的行业（sector） / the sector restricted (限批) when rectification fails
   warnings     导入时的提示；核对处理后可删除 / the importer's notes: delete each once dealt with
 
 检查 / check:  duban plan check FILE     交办 / start:  duban plan start FILE`;

/** What the supervisor should know about a task before starting it, above the task in the file. */
function taskComment(t: BreakdownTask): string {
  const lines = [` ${t.id} · 第 ${t.source?.line ?? '?'} 行 / line ${t.source?.line ?? '?'} · ${t.section}`];
  const dated = t.deadlines.filter((d) => d.kind !== 'from');
  if (t.dueRule === 'plan-end')
    lines.push(
      " 截止日期：原文无期限，暂定方案末年，请核对 / no deadline in the text: the plan's last year end; check",
    );
  if (t.dueRule === 'last-deadline') {
    const earlier = [...new Set(dated.map((d) => d.date))].filter((d) => d !== t.due).sort();
    lines.push(
      ` 截止日期取最后一个期限；${earlier.join('、')} 为阶段节点（里程碑），交办后分别预警、催办、审核 / due is the last deadline; earlier ones are milestones, each warned, noticed and verified`,
    );
  }
  if (t.recurrence) {
    const from = t.recurrence.from ? `，自 ${t.recurrence.from} 起` : '';
    const guess = t.recurrence.assumed ? '（原文只写“定期”，周期为推定）' : '';
    lines.push(
      ` 周期性工作：${EVERY_ZH[t.recurrence.every]}${from}${guess} / recurring: every ${t.recurrence.every}`,
    );
  }
  if (t.regions.length > 0)
    lines.push(
      ` 交办时分解到 ${t.regions.length} 个镇街，每个镇街一项 / started once for each of ${t.regions.length} regions`,
    );
  if (t.restriction)
    lines.push(
      ` 逾期未整改：对${t.restriction.region ?? (t.regions.length ? '所在镇街' : '（未定区域）')}“${t.restriction.sector}”新建项目限批 / 限批 scope`,
    );
  return lines.join('\n');
}

const FLOW_LISTS = new Set(['lead', 'cooperating', 'regions', 'aliases']);

/** Terminal columns (CJK counts two), to keep one-line lists within the project's print width. */
const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

/** Department and region lists on one line where they fit, so a task reads like a row of the table. */
function flowStyle(node: Node | null, key?: string): void {
  if (isSeq(node)) {
    const items = node.items.map((i) => (isScalar(i) ? String(i.value) : ''));
    if (key && FLOW_LISTS.has(key) && width(items.join(', ')) + key.length <= 80) node.flow = true;
    for (const item of node.items) flowStyle(item as Node);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (isScalar(pair.value) && k === 'text' && String(pair.value.value).includes('\n'))
        pair.value.type = 'BLOCK_LITERAL';
      else flowStyle(pair.value as Node, k);
    }
  }
}

/** The breakdown as commented YAML a supervisor can edit; `parseBreakdownText` reads it back unchanged. */
export function breakdownToYaml(b: Breakdown): string {
  const doc = new YAML.Document(b, { aliasDuplicateObjects: false });
  doc.commentBefore = HEADER(b);
  flowStyle(doc.contents);
  const root = doc.contents as YAMLMap;
  const tasks = root.get('tasks', true) as unknown as YAMLSeq<YAMLMap>;
  tasks.items.forEach((item, i) => {
    item.commentBefore = taskComment(b.tasks[i]);
    item.spaceBefore = i > 0;
  });
  const section = (key: string, comment: string) => {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) {
      pair.key.commentBefore = comment;
      pair.key.spaceBefore = true;
    }
  };
  section(
    'departments',
    ' 责任单位（每个单位一次；aliases 为同一单位的其他写法） / departments, each once, with other spellings',
  );
  section('tasks', ' 任务 / tasks');
  section('indicators', ' 主要指标（逐年目标） / indicators: the yearly targets of the plan');
  section(
    'warnings',
    " 导入提示（line 为原文行号） / the importer's notes, with the line of the plan they concern",
  );
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, singleQuote: true });
}

/** A breakdown file's data (YAML or JSON); throws BreakdownUnreadable with the line of a syntax error. */
export function parseBreakdownText(text: string): unknown {
  const t = text.replace(/^\uFEFF/, '');
  if (t.trim() === '') throw new BreakdownUnreadable('文件为空 / the file is empty');
  if (/^\s*[[{]/.test(t)) {
    try {
      return JSON.parse(t) as unknown;
    } catch (err) {
      throw new BreakdownUnreadable(`JSON 格式错误 / invalid JSON: ${(err as Error).message}`);
    }
  }
  const doc = YAML.parseDocument(t, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const line = e.linePos?.[0] ? `（第 ${e.linePos[0].line} 行 / line ${e.linePos[0].line}）` : '';
    throw new BreakdownUnreadable(`YAML 格式错误 / invalid YAML: ${reason}${line}`);
  }
  try {
    // yaml refuses an alias bomb (a few lines that expand to billions of nodes) while resolving aliases:
    // that is bad input like any other, not a fault of the server.
    return doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  } catch (err) {
    throw new BreakdownTooComplex(
      `YAML 无法展开（别名过多或嵌套过深） / the YAML cannot be expanded (too many aliases or too deep): ${(err as Error).message}`,
    );
  }
}

/** Aliases a breakdown may use: far more than a hand-edited file needs, far fewer than a bomb. */
const MAX_ALIASES = 1000;
