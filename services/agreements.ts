import { agreementOf, checkAgreementScope, planScope, type AgreementContent } from '../domain/agreement';
import { SUPERVISOR, canonicalJson } from '../domain';
import { agreementDocument } from '../office/assessment';
import { renderPdf } from '../office/pdf';
import type { AgreementSignature, Store } from '../store';
import { sha256 } from '../store/canonical';
import { BadInput, CommandRefused } from './errors';
import { loadPlanRecords, type PlanRecordStore } from './plan-records';

// 目标责任书 for every interface: a unit's agreement for a year, computed from the plan's records; its
// signing (签订) by that unit alone, on the ledger with the content hash, so a later change to what it
// lists shows against the version signed.

export type AgreementStore = PlanRecordStore & Pick<Store, 'signAgreement' | 'agreementSignatures'>;

export interface AgreementView {
  agreement: AgreementContent;
  /** sha256 of the content's canonical JSON: what a signing holds. */
  hash: string;
  /** The unit's last signing for the year, or null. */
  signed: AgreementSignature | null;
  /** Whether the content now is the content signed (false while unsigned). */
  current: boolean;
}

export interface AgreementSummary {
  unit: string;
  kind: AgreementContent['kind'];
  tasks: number;
  hash: string;
  signed: AgreementSignature | null;
  current: boolean;
}

export interface AgreementService {
  /** Every unit the plan names with something in the year, 镇街 first, with where its signing stands. */
  list(plan: string, year: number): Promise<AgreementSummary[]>;
  show(plan: string, year: number, unit: string): Promise<AgreementView>;
  /**
   * Signs as `as`, which must be the unit itself: a supervisor does not sign for a 镇街 or department (the
   * agreement binds the unit, and the office that assesses it is the other party). Signing content already
   * signed records nothing again.
   */
  sign(
    plan: string,
    year: number,
    unit: string,
    as: string,
    at: string,
  ): Promise<AgreementView & { recorded: boolean }>;
  pdf(plan: string, year: number, unit: string): Promise<Buffer>;
}

export const agreementHash = (a: AgreementContent): string => sha256(canonicalJson(a));

const isEmpty = (a: AgreementContent) =>
  a.tasks.length + a.milestones.length + a.duties.length + a.indicators.length === 0;

export function createAgreementService(deps: { store: AgreementStore }): AgreementService {
  const { store } = deps;
  const view = (agreement: AgreementContent, signings: AgreementSignature[]): AgreementView => {
    const hash = agreementHash(agreement);
    const signed = signings.filter((s) => s.unit === agreement.unit).at(-1) ?? null;
    return { agreement, hash, signed, current: signed?.hash === hash };
  };
  const load = async (plan: string, year: number, unit: string) => {
    const records = await loadPlanRecords(store, plan);
    const checked = checkAgreementScope(records, year, unit);
    if (!checked.ok) throw new BadInput(checked.refusal.field, checked.refusal.message);
    return agreementOf(records, year, unit);
  };
  const show: AgreementService['show'] = async (plan, year, unit) =>
    view(await load(plan, year, unit), await store.agreementSignatures(plan, year));

  return {
    async list(plan, year) {
      const records = await loadPlanRecords(store, plan);
      const scope = planScope(records);
      const checked = checkAgreementScope(records, year, [...scope.units][0] ?? '');
      if (!checked.ok && checked.refusal.field !== 'unit')
        throw new BadInput(checked.refusal.field, checked.refusal.message);
      const signings = await store.agreementSignatures(plan, year);
      return [...scope.units]
        .map((u) => agreementOf(records, year, u))
        .filter((a) => !isEmpty(a))
        .sort((a, b) =>
          a.kind !== b.kind ? (a.kind === 'region' ? -1 : 1) : a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0,
        )
        .map((a) => {
          const v = view(a, signings);
          return {
            unit: a.unit,
            kind: a.kind,
            tasks: a.tasks.length,
            hash: v.hash,
            signed: v.signed,
            current: v.current,
          };
        });
    },
    show,
    async sign(plan, year, unit, as, at) {
      const agreement = await load(plan, year, unit);
      if (as !== unit)
        throw new CommandRefused(
          as === SUPERVISOR
            ? `as：督查室不能代${unit}签订目标责任书，须由${unit}自己签订 / as: a supervisor may not sign for ${unit}: the unit signs its own agreement`
            : `as：${as} 不能代 ${unit} 签订目标责任书 / as: ${as} may not sign ${unit}'s agreement`,
          'wrong_signer',
          'as',
        );
      const before = view(agreement, await store.agreementSignatures(plan, year));
      if (before.current) return { ...before, recorded: false };
      const signed = await store.signAgreement({
        plan,
        year,
        unit,
        hash: before.hash,
        by: as,
        at,
        tasks: agreement.tasks.length,
      });
      return { agreement, hash: before.hash, signed, current: true, recorded: true };
    },
    async pdf(plan, year, unit) {
      return renderPdf(agreementDocument(await show(plan, year, unit)));
    },
  };
}
