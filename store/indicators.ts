import type { Kysely } from 'kysely';
import {
  indicatorWorkflowId,
  type IndicatorDef,
  type IndicatorValue,
  type RecordedValue,
} from '../domain/indicators';
import { canonicalJson } from './canonical';
import { lockKey, writeTransaction } from './db';
import { appendWithin, nextSeq } from './ledger';
import type { DB } from './schema';

/** A value to record: checked by the domain already (checkValue). */
export interface NewValue {
  plan: string;
  indicator: string;
  year: number;
  region: string | null;
  value: IndicatorValue;
  unit: string;
  by: string;
  at: string;
  source: RecordedValue['source'];
}

/**
 * The plan's indicators as started now. A definition that is new or changed goes on the indicator's chain
 * first (its targets are then as tamper-evident as its values); one unchanged writes nothing.
 */
export async function saveIndicators(
  db: Kysely<DB>,
  plan: string,
  defs: readonly IndicatorDef[],
  at: string,
): Promise<{ saved: number; changed: number }> {
  return writeTransaction(db, async (trx) => {
    let changed = 0;
    for (const [position, def] of defs.entries()) {
      const workflowId = indicatorWorkflowId(plan, def.id);
      await lockKey(trx, workflowId);
      const definition = canonicalJson(def);
      const was = await trx
        .selectFrom('indicators')
        .select('definition')
        .where('plan', '=', plan)
        .where('id', '=', def.id)
        .executeTakeFirst();
      if (was?.definition === definition) {
        await trx
          .updateTable('indicators')
          .set({ position })
          .where('plan', '=', plan)
          .where('id', '=', def.id)
          .execute();
        continue;
      }
      changed += 1;
      const seq = await nextSeq(trx, workflowId);
      await appendWithin(trx, workflowId, [{ type: 'IndicatorDefined', seq, at, ...def } as never]);
      if (was)
        await trx
          .updateTable('indicators')
          .set({ definition, position, saved_at: at })
          .where('plan', '=', plan)
          .where('id', '=', def.id)
          .execute();
      else
        await trx
          .insertInto('indicators')
          .values({ plan, id: def.id, position, definition, saved_at: at })
          .execute();
    }
    return { saved: defs.length, changed };
  });
}

/** The plan's indicators, in the plan's order. */
export async function listIndicators(db: Kysely<DB>, plan: string): Promise<IndicatorDef[]> {
  const rows = await db
    .selectFrom('indicators')
    .select('definition')
    .where('plan', '=', plan)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.definition) as IndicatorDef);
}

/** Plans with indicators. */
export async function indicatorPlans(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('indicators').select('plan').distinct().orderBy('plan').execute();
  return rows.map((r) => r.plan);
}

/**
 * Records values all or none: each on its indicator's ledger chain and in the table, in one transaction,
 * so no value is in one and not the other, and a file with a bad line leaves nothing behind.
 */
export async function recordValues(
  db: Kysely<DB>,
  values: readonly NewValue[],
): Promise<{ workflowId: string; seq: number }[]> {
  if (values.length === 0) return [];
  return writeTransaction(db, async (trx) => {
    const out: { workflowId: string; seq: number }[] = [];
    for (const v of values) {
      const workflowId = indicatorWorkflowId(v.plan, v.indicator);
      await lockKey(trx, workflowId);
      const seq = await nextSeq(trx, workflowId);
      const event = {
        type: 'IndicatorValueRecorded',
        seq,
        at: v.at,
        year: v.year,
        ...(v.region !== null ? { region: v.region } : {}),
        value: v.value,
        unit: v.unit,
        by: v.by,
        source: v.source,
      };
      await appendWithin(trx, workflowId, [event]);
      await trx
        .insertInto('indicator_values')
        .values({
          plan: v.plan,
          indicator: v.indicator,
          year: v.year,
          region: v.region ?? '',
          value: JSON.stringify(v.value),
          recorded_by: v.by,
          recorded_at: v.at,
          source: v.source,
          seq,
        })
        .execute();
      out.push({ workflowId, seq });
    }
    return out;
  });
}

/** Every value of the plan, in the order recorded (the last for a year and region is the one that counts). */
export async function listValues(db: Kysely<DB>, plan: string): Promise<RecordedValue[]> {
  const rows = await db
    .selectFrom('indicator_values')
    .selectAll()
    .where('plan', '=', plan)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    plan: r.plan,
    indicator: r.indicator,
    year: Number(r.year),
    region: r.region === '' ? null : r.region,
    value: JSON.parse(r.value) as IndicatorValue,
    by: r.recorded_by,
    at: r.recorded_at,
    source: r.source as RecordedValue['source'],
  }));
}
