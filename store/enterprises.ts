import type { Kysely, Selectable } from 'kysely';
import type { CardColor, CardEvent, CardMeasure, CardRecord } from '../domain/cards';
import { enterpriseChainId, type EnterpriseRecord } from '../domain/enterprise';
import { appendWithin, nextSeq } from './ledger';
import { lockKey, writeTransaction } from './db';
import type { CardsTable, DB, EnterprisesTable } from './schema';

/**
 * Registers enterprises all or none, each on its own ledger chain (`enterprise/{code}`). A code already
 * registered is not registered again: the codes found are returned and nothing is written.
 */
export async function addEnterprises(
  db: Kysely<DB>,
  list: readonly EnterpriseRecord[],
): Promise<{ added: number; existing: string[] }> {
  if (list.length === 0) return { added: 0, existing: [] };
  return writeTransaction(db, async (trx) => {
    for (const e of list) await lockKey(trx, enterpriseChainId(e.code));
    const found = await trx
      .selectFrom('enterprises')
      .select('code')
      .where(
        'code',
        'in',
        list.map((e) => e.code),
      )
      .execute();
    if (found.length > 0) return { added: 0, existing: found.map((r) => r.code) };
    for (const e of list) {
      const chain = enterpriseChainId(e.code);
      await appendWithin(trx, chain, [
        {
          type: 'EnterpriseRegistered',
          seq: await nextSeq(trx, chain),
          at: e.registeredAt,
          code: e.code,
          name: e.name,
          region: e.region,
          sector: e.sector,
          by: e.registeredBy,
        } as never,
      ]);
      await trx
        .insertInto('enterprises')
        .values({
          code: e.code,
          name: e.name,
          region: e.region,
          sector: e.sector,
          registered_at: e.registeredAt,
          registered_by: e.registeredBy,
        })
        .execute();
    }
    return { added: list.length, existing: [] };
  });
}

const toEnterprise = (r: Selectable<EnterprisesTable>): EnterpriseRecord => ({
  code: r.code,
  name: r.name,
  region: r.region,
  sector: r.sector,
  registeredAt: r.registered_at,
  registeredBy: r.registered_by,
});

/** By region, then name. */
export async function listEnterprises(db: Kysely<DB>): Promise<EnterpriseRecord[]> {
  const rows = await db
    .selectFrom('enterprises')
    .selectAll()
    .orderBy('region')
    .orderBy('name')
    .orderBy('code')
    .execute();
  return rows.map(toEnterprise);
}

export async function getEnterprise(db: Kysely<DB>, code: string): Promise<EnterpriseRecord | undefined> {
  const r = await db.selectFrom('enterprises').selectAll().where('code', '=', code).executeTakeFirst();
  return r && toEnterprise(r);
}

/** A step for the enterprise's chain: `key` names it once (a card's steps: `card-{n}-{step}`). */
export interface EnterpriseStep {
  key: string;
  event: CardEvent;
}

/**
 * Appends the steps to the enterprise's chain (numbered after whatever is there) and applies them to the
 * card they belong to, in one transaction. A step whose key is already recorded is skipped, so a retried
 * activity adds nothing.
 */
export async function recordEnterpriseSteps(
  db: Kysely<DB>,
  code: string,
  steps: readonly EnterpriseStep[],
): Promise<{ seq: number }[]> {
  if (steps.length === 0) return [];
  const chain = enterpriseChainId(code);
  return writeTransaction(db, async (trx) => {
    await lockKey(trx, chain);
    const out: { seq: number }[] = [];
    for (const { key, event } of steps) {
      const had = await trx
        .selectFrom('enterprise_steps')
        .select('seq')
        .where('code', '=', code)
        .where('key', '=', key)
        .executeTakeFirst();
      if (had) {
        out.push({ seq: Number(had.seq) });
        continue;
      }
      const seq = await nextSeq(trx, chain);
      const { step: _step, ...body } = event;
      await appendWithin(trx, chain, [{ ...body, seq } as never]);
      await trx.insertInto('enterprise_steps').values({ code, key, seq }).execute();
      await applyStep(trx, code, event);
      out.push({ seq });
    }
    return out;
  });
}

async function applyStep(trx: Kysely<DB>, code: string, e: CardEvent): Promise<void> {
  if (e.type === 'EnterpriseInspected' || e.type === 'CardReminded') return;
  if (e.type === 'CardIssued') {
    await trx
      .insertInto('cards')
      .values({
        code,
        card: e.card,
        name: e.name,
        region: e.region,
        sector: e.sector,
        plan: e.plan ?? null,
        color: e.color,
        measure: e.measure,
        issued_color: e.color,
        issued_measure: e.measure,
        reason: e.reason,
        issued_at: e.at,
        since: e.at,
        due: e.due ?? null,
        status: 'open',
        lifted_at: null,
      })
      .onConflict((oc) => oc.columns(['code', 'card']).doNothing())
      .execute();
    return;
  }
  const q = trx.updateTable('cards').where('code', '=', code).where('card', '=', e.card);
  if (e.type === 'CardTurnedRed') await q.set({ color: 'red', measure: e.measure, since: e.at }).execute();
  else await q.set({ status: 'lifted', lifted_at: e.at }).execute();
}

const toCard = (r: Selectable<CardsTable>): CardRecord => ({
  code: r.code,
  card: Number(r.card),
  name: r.name,
  region: r.region,
  sector: r.sector,
  ...(r.plan !== null ? { plan: r.plan } : {}),
  color: r.color as CardColor,
  measure: r.measure as CardMeasure,
  issuedColor: r.issued_color as CardColor,
  issuedMeasure: r.issued_measure as CardMeasure,
  reason: r.reason,
  issuedAt: r.issued_at,
  since: r.since,
  ...(r.due !== null ? { due: r.due } : {}),
  status: r.status as CardRecord['status'],
  ...(r.lifted_at !== null ? { liftedAt: r.lifted_at } : {}),
});

export interface CardFilter {
  code?: string;
  openOnly?: boolean;
}

/** By region, enterprise name, code and card. */
export async function listCards(db: Kysely<DB>, f: CardFilter = {}): Promise<CardRecord[]> {
  let q = db.selectFrom('cards').selectAll();
  if (f.code !== undefined) q = q.where('code', '=', f.code);
  if (f.openOnly) q = q.where('status', '=', 'open');
  const rows = await q.orderBy('region').orderBy('name').orderBy('code').orderBy('card').execute();
  return rows.map(toCard);
}
