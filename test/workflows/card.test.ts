/**
 * An enterprise's 红黄牌 on the time-skipping server with the real activities, store and SMTP server: a
 * 黄牌 reminds before its deadline and, the deadline missed, turns 红牌 with leadership alerted; a passing
 * re-inspection lifts one; a failed one turns it red; refusals leave nothing behind.
 */
import { addDays, dayOf } from '../../domain';
import { CardPolicy, cardWorkflowId, type CardState } from '../../domain/cards';
import { createEnterpriseService, publicCardLists, type EnterpriseService } from '../../services/enterprises';
import { cardStateQuery } from '../../workflows/card-messages';
import { addresses, at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { creditCode } from '../helpers/credit-code';
import { uniqueId } from '../helpers/temporal';
import type { Worker } from '@temporalio/worker';

let duban: TimeSkippedDuban;
let worker: Worker;
let running: Promise<void>;
let service: EnterpriseService;
const policy = CardPolicy.parse({});

beforeAll(async () => {
  duban = await startTimeSkippedDuban('card');
  const taskQueue = uniqueId('card');
  worker = await duban.createWorker(taskQueue);
  running = worker.run();
  service = createEnterpriseService({
    store: duban.store,
    directory: duban.directory,
    policy,
    client: duban.env.client,
    taskQueue,
    now: () => new Date(Date.now()).toISOString(),
  });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await duban?.teardown();
});

const ENV = '区环保局';

async function registered(region = '泥沟镇') {
  const code = creditCode();
  await service.add({ code, name: `台儿庄${code.slice(-4)}造纸有限公司`, region, sector: '造纸' }, ENV);
  return code;
}

async function stateWhen(code: string, what: string, pred: (s: CardState) => boolean): Promise<CardState> {
  const h = duban.env.client.workflow.getHandle(cardWorkflowId(code));
  const until = Date.now() + 20_000;
  for (;;) {
    const s = await h.query(cardStateQuery).catch(() => undefined);
    if (s && pred(s)) return s;
    if (Date.now() > until) throw new Error(`${what}: never so (${JSON.stringify(s)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const types = async (code: string) => (await duban.store.ledgerFor(`enterprise/${code}`)).map((e) => e.type);

test('a 黄牌 reminds the 镇街 and 区环保局, and the deadline missed turns it 红牌 with leadership alerted', async () => {
  const code = await registered('泥沟镇');
  const today = dayOf(await duban.env.currentTimeMs());
  const due = addDays(today, 10);
  const given = await service.card({ code, color: 'yellow', reason: '废水超标排放', due }, ENV);
  expect(given).toMatchObject({ code, card: 1, color: 'yellow', measure: '停产整治', due });
  await stateWhen(code, 'issued', (s) => s.step === 1);
  expect((await publicCardLists(duban.store)).yellow.filter((c) => c.code === code)).toEqual([
    expect.objectContaining({
      code,
      region: '泥沟镇',
      sector: '造纸',
      color: 'yellow',
      measure: '停产整治',
      due,
    }),
  ]);

  // Seven days before: the reminder to the town and the department.
  await duban.env.sleep(at9(addDays(due, -7)) + 60_000 - (await duban.env.currentTimeMs()));
  await duban.smtp.waitFor((ms) =>
    ms.some((m) => m.subject?.includes('黄牌整改提醒') && m.text?.includes(code)),
  );
  const reminder = duban.smtp.messages.find(
    (m) => m.subject?.includes('黄牌整改提醒') && m.text?.includes(code),
  )!;
  expect(addresses(reminder)).toEqual([
    'huanbao@taierzhuang.gov.cn.example',
    'nigou@taierzhuang.gov.cn.example',
  ]);
  expect(reminder.text).toContain(`整改期限为 ${due}，还有 7 天`);

  // The day after the deadline: red, and leadership hears.
  await duban.env.sleep(at9(addDays(due, 1)) + 60_000 - (await duban.env.currentTimeMs()));
  const red = await stateWhen(code, 'red', (s) => s.color === 'red');
  expect(red).toMatchObject({ color: 'red', measure: '停业', status: 'open', remindedFrom: 1 });
  await duban.smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('红牌预警') && m.text?.includes(code)));
  const alert = duban.smtp.messages.find((m) => m.subject?.includes('红牌预警') && m.text?.includes(code))!;
  expect(addresses(alert)).toEqual(
    [
      'fuquzhang.huanbao@taierzhuang.gov.cn.example',
      'huanbao@taierzhuang.gov.cn.example',
      'nigou@taierzhuang.gov.cn.example',
      'quzhang@taierzhuang.gov.cn.example',
    ].sort(),
  );
  expect(alert.text).toContain('整改期限已过仍未通过复查');

  expect(await types(code)).toEqual([
    'EnterpriseRegistered',
    'CardIssued',
    'CardReminded',
    'CardReminded',
    'CardTurnedRed',
  ]);
  const [card] = await duban.store.listCards({ code });
  expect(card).toMatchObject({ color: 'red', measure: '停业', issuedColor: 'yellow', status: 'open' });
  const lists = await publicCardLists(duban.store);
  expect(lists.yellow.some((c) => c.code === code)).toBe(false);
  expect(lists.red.filter((c) => c.code === code)).toEqual([
    expect.objectContaining({ code, color: 'red', measure: '停业', since: dayOf(card.since) }),
  ]);
  expect(await duban.store.verifyLedger()).toMatchObject({ ok: true });
});

test('a passing re-inspection lifts a 黄牌, and the run ends', async () => {
  const code = await registered('运河街道');
  await service.card({ code, color: 'yellow', measure: '限产', reason: '在线监测数据异常' }, ENV);
  const s = await stateWhen(code, 'issued', (x) => x.step === 1);
  // No --due: the policy's 30 days from today.
  expect(s.due).toBe(addDays(dayOf(s.issuedAt), 30));
  const r = await service.inspect({ code, result: 'pass', note: '整改到位，复查合格' }, ENV);
  expect(r.card).toMatchObject({ status: 'lifted', color: 'yellow' });
  const h = duban.env.client.workflow.getHandle(cardWorkflowId(code));
  expect(await h.result()).toMatchObject({
    status: 'lifted',
    lifted: { by: ENV, note: '整改到位，复查合格' },
  });
  expect(await types(code)).toEqual([
    'EnterpriseRegistered',
    'CardIssued',
    'EnterpriseInspected',
    'CardLifted',
  ]);
  expect(await duban.store.listCards({ code })).toEqual([expect.objectContaining({ status: 'lifted' })]);
  const lists = await publicCardLists(duban.store);
  expect([...lists.yellow, ...lists.red].some((c) => c.code === code)).toBe(false);
  // A year's lists still show it, lifted that year.
  const year = Number(dayOf(s.issuedAt).slice(0, 4));
  const yearly = await publicCardLists(duban.store, { year });
  expect(yearly.yellow.filter((c) => c.code === code)).toEqual([
    expect.objectContaining({
      measure: '限产',
      lifted: dayOf((await duban.store.listCards({ code }))[0].liftedAt!),
    }),
  ]);
  // The enterprise may be carded again: a new run under the same id.
  const again = await service.card({ code, color: 'red', measure: '关闭', reason: '再次违法排污' }, ENV);
  expect(again).toMatchObject({ card: 2, color: 'red', measure: '关闭' });
  await duban.smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('红牌预警') && m.text?.includes(code)));
});

test('a failed re-inspection turns a 黄牌 red at once', async () => {
  const code = await registered('邳庄镇');
  await service.card({ code, color: 'yellow', reason: '污水处理设施未运行' }, ENV);
  await stateWhen(code, 'issued', (x) => x.step === 1);
  const r = await service.inspect({ code, result: 'fail', note: '设施仍未运行' }, 'supervisor');
  expect(r.card).toMatchObject({ color: 'red', measure: '停业', status: 'open' });
  await duban.smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('红牌预警') && m.text?.includes(code)));
  const alert = duban.smtp.messages.find((m) => m.subject?.includes('红牌预警') && m.text?.includes(code))!;
  expect(alert.text).toContain('复查不合格');
  expect(await types(code)).toEqual([
    'EnterpriseRegistered',
    'CardIssued',
    'EnterpriseInspected',
    'CardTurnedRed',
  ]);
});

test('refusals name the field and record nothing', async () => {
  const code = await registered('张山子镇');
  await expect(
    service.card({ code: creditCode(), color: 'yellow', reason: '超标' }, ENV),
  ).rejects.toMatchObject({
    field: 'code',
    message: expect.stringContaining('没有统一社会信用代码为'),
  });
  await expect(service.inspect({ code, result: 'pass', note: '合格' }, ENV)).rejects.toMatchObject({
    code: 'no_open_card',
    message: `企业 ${code} 没有未撤销的黄牌或红牌，复查合格无牌可撤 / enterprise ${code} has no open card; a passing inspection has nothing to lift`,
  });
  await expect(service.card({ code, color: 'yellow', reason: '超标' }, '区水务局')).rejects.toMatchObject({
    field: 'actor',
    message:
      '只有区环保局或督查室可以登记企业、检查和挂牌 / only 区环保局 or a supervisor may register, inspect or card an enterprise',
  });
  await expect(
    service.card({ code, color: 'yellow', reason: '超标', due: '2001-01-01' }, ENV),
  ).rejects.toMatchObject({
    field: 'due',
  });
  expect(await types(code)).toEqual(['EnterpriseRegistered']);

  // With a card open: a second card is refused, and a malformed inspection never reaches history.
  await service.card({ code, color: 'yellow', reason: '超标' }, ENV);
  await stateWhen(code, 'issued', (x) => x.step === 1);
  await expect(service.card({ code, color: 'red', reason: '再犯' }, ENV)).rejects.toMatchObject({
    code: 'card_open',
  });
  await expect(service.inspect({ code, result: 'pass', note: '  ' }, ENV)).rejects.toMatchObject({
    message: '请填写检查情况 / note is required',
  });
  const h = duban.env.client.workflow.getHandle(cardWorkflowId(code));
  const history = await h.fetchHistory();
  expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  expect(await types(code)).toEqual(['EnterpriseRegistered', 'CardIssued']);
});
