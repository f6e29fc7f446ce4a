import { cardAudience, COLOR_ZH, type CardEvent, type CardNotice } from '../domain/cards';
import { dayOf } from '../domain';
import { resolveAudience, type Directory } from '../directory/directory';
import type { Store } from '../store';
import { deliverOnce, type OutboxStore } from './deliver';
import { renderFieldMail } from './field-mail';
import type { NoticeResult } from './index';
import type { RenderedMail } from './mail-templates';
import type { Mailer } from './mailer';

export interface CardActivityDeps {
  store: Pick<Store, 'recordEnterpriseSteps'> & OutboxStore;
  mailer: Pick<Mailer, 'send'>;
  directory: Directory;
}

const CAUSE_ZH = {
  inspection_failed: '复查不合格',
  deadline_missed: '整改期限已过仍未通过复查',
  issued: '直接挂红牌',
} as const;

/** A card's reminder or 红牌 alert: Chinese, every value escaped. */
export function renderCardNotice(n: CardNotice): RenderedMail {
  const e = n.enterprise;
  const fields: [string, string][] = [
    ['企业', e.name],
    ['统一社会信用代码', n.code],
    ['所在镇街', e.region],
    ['行业', e.sector],
    ['措施', n.measure],
    ['挂牌理由', n.reason],
    ...(n.due ? [['整改期限', n.due] as [string, string]] : []),
  ];
  if (n.kind === 'reminder')
    return renderFieldMail({
      headline: `${COLOR_ZH.yellow}整改提醒：${e.name}`,
      lead: `${e.name}（${e.region}）的黄牌（${n.measure}）整改期限为 ${n.due}，还有 ${n.daysLeft} 天。请督促企业按期整改，并由${n.department}在期限前复查；期满未通过复查将升级为红牌。`,
      fields,
      accent: '#f9a825',
    });
  return renderFieldMail({
    headline: `红牌预警：${e.name}（${n.measure}）`,
    lead: `${e.name}（${e.region}）自 ${dayOf(n.at)} 起为红牌（${n.measure}）：${CAUSE_ZH[n.cause ?? 'issued']}。请区领导知悉并督促落实。`,
    fields: [...fields, ['升级原因', CAUSE_ZH[n.cause ?? 'issued']]],
    accent: '#c62828',
  });
}

export function createCardActivities({ store, mailer, directory }: CardActivityDeps) {
  return {
    /** On the enterprise's ledger chain and its card's row together; a retry adds nothing (keys). */
    async recordCardSteps({
      code,
      steps,
    }: {
      code: string;
      steps: { key: string; event: CardEvent }[];
    }): Promise<{ seq: number }[]> {
      return store.recordEnterpriseSteps(code, steps);
    },

    async sendCardNotice({
      workflowId,
      notice,
    }: {
      workflowId: string;
      notice: CardNotice;
    }): Promise<NoticeResult> {
      return deliverOnce(
        { store, mailer },
        {
          workflowId,
          key: notice.key,
          to: resolveAudience(directory, cardAudience(notice)),
          mail: renderCardNotice(notice),
        },
      );
    },
  };
}

export type CardActivities = ReturnType<typeof createCardActivities>;
