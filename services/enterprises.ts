import { WorkflowIdReusePolicy, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import {
  NO_OPEN_CARD,
  cardWorkflowId,
  decideIssue,
  mayManageEnterprises,
  notCardManager,
  publicLists,
  type CardColor,
  type CardMeasure,
  type CardPolicy,
  type CardRecord,
  type CardState,
  type InspectionResult,
  type PublicCardLists,
} from '../domain/cards';
import {
  checkEnterprise,
  normalizeCreditCode,
  type Enterprise,
  type EnterpriseRecord,
} from '../domain/enterprise';
import { rejectionMessage, type Rejection } from '../domain';
import { findDepartment, unitKind, type Directory } from '../directory/directory';
import type { Store } from '../store';
import {
  CARD_WORKFLOW,
  cardStateQuery,
  inspectCardUpdate,
  type CardWorkflow,
} from '../workflows/card-messages';
import { BadInput, CommandRefused } from './errors';
import { normalizeActor, refusalOf } from './facade';
import { CsvRejected, csvFields } from './indicators';

type EnterpriseStore = Pick<
  Store,
  'addEnterprises' | 'listEnterprises' | 'getEnterprise' | 'recordEnterpriseSteps' | 'listCards'
>;

export interface EnterpriseDeps {
  store: EnterpriseStore;
  directory: Directory;
  policy: CardPolicy;
  /** Temporal, for the cards' workflows; without it only the registry and the lists work. */
  client?: Pick<Client, 'workflow'>;
  taskQueue?: string;
  /** Resolves when Temporal answers (throws TemporalUnavailable otherwise); asked only once the input is good. */
  ready?: () => Promise<void>;
  now?: () => string;
}

export interface EnterpriseInput {
  code?: unknown;
  name?: unknown;
  region?: unknown;
  sector?: unknown;
}

export interface CardInput {
  code: string;
  color: CardColor;
  measure?: CardMeasure;
  reason: string;
  due?: string;
  plan?: string;
}

/** A card just given: its workflow runs it from here. */
export interface CardGiven {
  workflowId: string;
  code: string;
  card: number;
  color: CardColor;
  measure: CardMeasure;
  due?: string;
}

/** A re-inspection: the card as it stands after it, or (no card) the inspection's place on the chain. */
export type Inspected = { card: CardState } | { card?: undefined; seq: number };

export interface EnterpriseService {
  add(input: EnterpriseInput, as: string): Promise<EnterpriseRecord>;
  /** All or none: one bad line and nothing is registered, every bad line named. */
  importCsv(text: string, as: string): Promise<{ added: number }>;
  list(): Promise<EnterpriseRecord[]>;
  inspect(input: { code: string; result: InspectionResult; note: string }, as: string): Promise<Inspected>;
  card(input: CardInput, as: string): Promise<CardGiven>;
  cards(filter?: { code?: string; openOnly?: boolean }): Promise<CardRecord[]>;
}

const refused = (r: Rejection) => new CommandRefused(rejectionMessage(r), r.code, r.field);

/** The 镇街 a name or alias stands for in the directory (a department is not one). */
export const regionResolver = (directory: Directory) => (name: string) =>
  unitKind(directory, name) === 'region' ? findDepartment(directory, name) : undefined;

/**
 * The yellow and red lists the public sees (for the yearly report and /public): without a year the cards
 * open now; with one, every card open at some time that year in the color it last had then; with a plan,
 * its cards and those given under none. No person's name, no free text.
 */
export async function publicCardLists(
  store: Pick<Store, 'listCards'>,
  filter: { plan?: string; year?: number } = {},
): Promise<PublicCardLists> {
  return publicLists(await store.listCards(filter.year === undefined ? { openOnly: true } : {}), filter);
}

const CSV_COLUMNS: Record<string, keyof Enterprise> = {
  name: 'name',
  企业名称: 'name',
  名称: 'name',
  code: 'code',
  统一社会信用代码: 'code',
  信用代码: 'code',
  region: 'region',
  镇街: 'region',
  所在镇街: 'region',
  sector: 'sector',
  行业: 'sector',
};

export function createEnterpriseService(deps: EnterpriseDeps): EnterpriseService {
  const { store, directory, policy } = deps;
  const now = deps.now ?? (() => new Date().toISOString());
  const regionOf = regionResolver(directory);

  /** The name `as` acts under (an alias of the department is the department), if it may act at all. */
  const actor = (as: string): string => {
    const a = normalizeActor(as);
    const name = findDepartment(directory, a) ?? a;
    if (!mayManageEnterprises(name, policy)) throw refused(notCardManager(policy));
    return name;
  };
  const registered = async (raw: string): Promise<EnterpriseRecord> => {
    const code = normalizeCreditCode(raw);
    const e = code === '' ? undefined : await store.getEnterprise(code);
    if (!e)
      throw new BadInput(
        'code',
        `code：没有统一社会信用代码为“${code}”的登记企业 / code: no registered enterprise has the credit code “${code}”`,
      );
    return e;
  };
  const temporal = async () => {
    if (!deps.client || !deps.taskQueue)
      throw new Error('this service has no Temporal client for the cards’ workflows');
    await deps.ready?.();
    return { client: deps.client, taskQueue: deps.taskQueue };
  };
  /** The enterprise's open card's workflow, running; undefined when it has no open card. */
  const openCard = async (code: string) => {
    const h = (await temporal()).client.workflow.getHandle(cardWorkflowId(code));
    try {
      const d = await h.describe();
      return d.status.name === 'RUNNING' ? h : undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };

  return {
    async add(input, as) {
      const by = actor(as);
      const c = checkEnterprise(input, regionOf);
      if (!c.ok) throw new BadInput(c.problem.field, c.problem.message);
      const record = { ...c.enterprise, registeredAt: now(), registeredBy: by };
      const r = await store.addEnterprises([record]);
      if (r.existing.length > 0)
        throw new BadInput(
          'code',
          `code：统一社会信用代码 ${record.code} 已登记 / code: ${record.code} is already registered`,
        );
      return record;
    },

    async importCsv(text, as) {
      const by = actor(as);
      const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
      const headerAt = lines.findIndex((l) => l.trim() !== '');
      if (headerAt < 0) throw new CsvRejected([{ line: 1, message: '文件为空 / the file is empty' }]);
      const header = csvFields(lines[headerAt]).map((h) => CSV_COLUMNS[h.toLowerCase()] ?? CSV_COLUMNS[h]);
      const missing = (['name', 'code', 'region', 'sector'] as const).filter((c) => !header.includes(c));
      if (missing.length > 0)
        throw new CsvRejected([
          {
            line: headerAt + 1,
            message: `表头缺少 ${missing.join('、')} 列（应为 name,code,region,sector） / the header lacks ${missing.join(', ')} (expected name,code,region,sector)`,
          },
        ]);
      const at = now();
      const bad: { line: number; message: string }[] = [];
      const good: { line: number; record: EnterpriseRecord }[] = [];
      const seen = new Map<string, number>();
      for (let i = headerAt + 1; i < lines.length; i++) {
        if (lines[i].trim() === '') continue;
        const f = csvFields(lines[i]);
        const get = (c: keyof Enterprise) => f[header.indexOf(c)] ?? '';
        const c = checkEnterprise(
          { name: get('name'), code: get('code'), region: get('region'), sector: get('sector') },
          regionOf,
        );
        if (!c.ok) {
          bad.push({ line: i + 1, message: c.problem.message });
          continue;
        }
        const first = seen.get(c.enterprise.code);
        if (first !== undefined) {
          bad.push({
            line: i + 1,
            message: `code：${c.enterprise.code} 与第 ${first} 行重复 / code: ${c.enterprise.code} repeats line ${first}`,
          });
          continue;
        }
        seen.set(c.enterprise.code, i + 1);
        good.push({ line: i + 1, record: { ...c.enterprise, registeredAt: at, registeredBy: by } });
      }
      if (bad.length > 0) throw new CsvRejected(bad);
      const r = await store.addEnterprises(good.map((g) => g.record));
      if (r.existing.length > 0)
        throw new CsvRejected(
          good
            .filter((g) => r.existing.includes(g.record.code))
            .map((g) => ({
              line: g.line,
              message: `code：${g.record.code} 已登记 / code: ${g.record.code} is already registered`,
            })),
        );
      return { added: r.added };
    },

    list: () => store.listEnterprises(),

    async inspect(input, as) {
      const by = actor(as);
      const e = await registered(input.code);
      const args = { actor: by, result: input.result, note: input.note };
      const h = await openCard(e.code);
      if (h) {
        try {
          return { card: await h.executeUpdate(inspectCardUpdate, { args: [args] }) };
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
          throw err;
        }
      }
      if (input.result === 'pass') throw refused(NO_OPEN_CARD(e.code));
      const note = typeof input.note === 'string' ? input.note.trim() : '';
      if (note === '') throw new BadInput('note', 'note：请填写检查情况 / note is required');
      const [r] = await store.recordEnterpriseSteps(e.code, [
        {
          key: `inspection-${randomUUID()}`,
          event: { type: 'EnterpriseInspected', result: 'fail', note, by, step: 0, at: now() },
        },
      ]);
      return { seq: r.seq };
    },

    async card(input, as) {
      const by = actor(as);
      const enterprise = await registered(input.code);
      const { registeredAt: _a, registeredBy: _b, ...where } = enterprise;
      const card = (await store.listCards({ code: enterprise.code })).length + 1;
      const order = {
        enterprise: where,
        card,
        color: input.color,
        ...(input.measure ? { measure: input.measure } : {}),
        reason: input.reason,
        ...(input.due ? { due: input.due } : {}),
        ...(input.plan ? { plan: input.plan } : {}),
        by,
      };
      const d = decideIssue(order, now(), policy);
      if (!d.ok) throw refused(d.rejection);
      const issued = d.events[0];
      if (issued.type !== 'CardIssued') throw new Error('a card begins with CardIssued');
      const { client, taskQueue } = await temporal();
      const workflowId = cardWorkflowId(enterprise.code);
      try {
        await client.workflow.start<CardWorkflow>(CARD_WORKFLOW, {
          workflowId,
          taskQueue,
          args: [{ order, policy }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const open = (await openCard(enterprise.code))?.query(cardStateQuery);
        const s = await open?.catch(() => undefined);
        throw new CommandRefused(
          `企业 ${enterprise.code} 已有未撤销的${s?.color === 'red' ? '红牌' : '黄牌'}，复查合格撤牌后才能再挂牌 / enterprise ${enterprise.code} already has an open card; it must be lifted first`,
          'card_open',
          'code',
        );
      }
      return {
        workflowId,
        code: enterprise.code,
        card,
        color: issued.color,
        measure: issued.measure,
        ...(issued.due ? { due: issued.due } : {}),
      };
    },

    cards: (filter = {}) => store.listCards(filter),
  };
}
