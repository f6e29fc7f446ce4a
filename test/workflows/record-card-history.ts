/**
 * A 黄牌's recorded life for the replay test: given with a deadline, both reminders sent, the deadline
 * missed so it turns 红牌 (leadership mailed), then a passing re-inspection lifts it and the run ends.
 */
import { addDays, dayOf } from '../../domain';
import { CardPolicy, cardWorkflowId } from '../../domain/cards';
import { creditCheckChar } from '../../domain/enterprise';
import { createEnterpriseService } from '../../services/enterprises';
import { cardStateQuery } from '../../workflows/card-messages';
import { at9 } from '../helpers/duban-env';
import type { Recorded, Recording } from './record-histories';

const BODY = '91370405MA3C000RC';
export const CARD_RECORD_CODE = BODY + creditCheckChar(BODY);
export const CARD_WORKFLOW_IDS: Record<string, string> = {
  'card-red-lifted-v1': cardWorkflowId(CARD_RECORD_CODE),
};

export const recordCardRedLifted: Recording = async (duban) => {
  const { env, store, directory } = duban;
  const taskQueue = 'record-card';
  const worker = await duban.createWorker(taskQueue);
  const service = createEnterpriseService({
    store,
    directory,
    policy: CardPolicy.parse({}),
    client: env.client,
    taskQueue,
    now: () => new Date().toISOString(),
  });
  return worker.runUntil(async (): Promise<Recorded> => {
    const code = CARD_RECORD_CODE;
    await service.add({ code, name: '台儿庄某造纸有限公司', region: '泥沟镇', sector: '造纸' }, '区环保局');
    const due = addDays(dayOf(await env.currentTimeMs()), 10);
    await service.card({ code, color: 'yellow', reason: '废水超标排放', due }, '区环保局');
    const h = env.client.workflow.getHandle(cardWorkflowId(code));
    await env.sleep(at9(addDays(due, 1)) + 60_000 - (await env.currentTimeMs()));
    for (let i = 0; ; i++) {
      const s = await h.query(cardStateQuery);
      if (s.color === 'red') break;
      if (i > 200) throw new Error('the card never turned red');
      await new Promise((r) => setTimeout(r, 100));
    }
    await duban.smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('红牌预警')));
    await service.inspect({ code, result: 'pass', note: '停业整改到位，复查合格' }, '区环保局');
    expect(await h.result()).toMatchObject({ status: 'lifted', color: 'red' });
    return { 'card-red-lifted-v1': await h.fetchHistory() };
  });
};
