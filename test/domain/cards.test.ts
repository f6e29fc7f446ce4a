import {
  CardPolicy,
  cardClock,
  decideIssue,
  decideTime,
  evolveCard,
  issuedCard,
  nextCardRung,
  type CardOrder,
} from '../../domain/cards';
import { checkEnterprise, creditCheckChar, creditCodeProblem } from '../../domain/enterprise';

const policy = CardPolicy.parse({});

test('the GB 32100-2015 check character: a published code passes, any change to it fails', () => {
  // 国家标准 GB 32100-2015 附录中的示例代码 / the standard's own example.
  expect(creditCodeProblem('91350100M000100Y43')).toBeUndefined();
  expect(creditCheckChar('91350100M000100Y4')).toBe('3');
  expect(creditCodeProblem('91350100M000100Y44')).toBe(
    "统一社会信用代码校验位不符（应为 3） / the credit code's check character is wrong (expected 3)",
  );
  expect(creditCodeProblem('91350100M000100I43')).toContain('“I”');
  expect(creditCodeProblem('9135')).toContain('应为 18 位（现为 4 位）');
  const regionOf = (n: string) => (n === '泥沟镇' ? n : undefined);
  expect(
    checkEnterprise({ code: ' 91350100m000100y43 ', name: '甲', region: '泥沟镇', sector: '造纸' }, regionOf),
  ).toEqual({
    ok: true,
    enterprise: { code: '91350100M000100Y43', name: '甲', region: '泥沟镇', sector: '造纸' },
  });
  expect(
    checkEnterprise({ code: '91350100M000100Y43', name: '甲', region: '区环保局', sector: '造纸' }, regionOf),
  ).toMatchObject({
    ok: false,
    problem: { field: 'region' },
  });
});

const order: CardOrder = {
  enterprise: { code: '91350100M000100Y43', name: '甲', region: '泥沟镇', sector: '造纸' },
  card: 1,
  color: 'yellow',
  reason: '超标',
  due: '2027-03-10',
  by: '区环保局',
};

test("a 黄牌's rungs: the reminders 7 and 1 days before at 09:00, then red the day after the deadline", () => {
  const d = decideIssue(order, '2027-03-01T02:00:00.000Z', policy);
  if (!d.ok) throw new Error('refused');
  let s = issuedCard(order, d.events[0], policy);
  // 7 days before (03-03) is still ahead on 03-01.
  expect(nextCardRung(s, policy)).toBe('2027-03-03T01:00:00.000Z');
  const steps: string[] = [];
  for (const now of ['2027-03-03T01:00:00.000Z', '2027-03-09T01:00:00.000Z', '2027-03-11T01:00:00.000Z']) {
    const es = decideTime(s, now, policy);
    for (const e of es) s = evolveCard(s, e);
    steps.push(...es.map((e) => (e.type === 'CardReminded' ? `${e.type}:${e.daysLeft}` : e.type)));
  }
  expect(steps).toEqual(['CardReminded:7', 'CardReminded:1', 'CardTurnedRed']);
  expect(nextCardRung(s, policy)).toBeUndefined();
  // Given 3 days before the deadline, only the 1-day reminder is still to come.
  const late = decideIssue(order, '2027-03-07T02:00:00.000Z', policy);
  if (!late.ok) throw new Error('refused');
  expect(issuedCard(order, late.events[0], policy).remindedFrom).toBe(7);
});

test('the demo clock: a day lasts secondsPerDay from the card', () => {
  const c = cardClock('2027-03-01T02:00:00.000Z', CardPolicy.parse({ secondsPerDay: 5 }));
  expect(c.at('2027-03-03')).toBe('2027-03-01T02:00:10.000Z');
  expect(c.today('2027-03-01T02:00:16.000Z')).toBe('2027-03-04');
});

test('a red card has no deadline; a yellow one without --due gets the policy period', () => {
  const red = decideIssue({ ...order, color: 'red', due: '2027-04-01' }, '2027-03-01T02:00:00.000Z', policy);
  expect(red).toMatchObject({ ok: false, rejection: { field: 'due', code: 'due_on_red' } });
  const bad = decideIssue({ ...order, measure: '关闭' }, '2027-03-01T02:00:00.000Z', policy);
  expect(bad).toMatchObject({
    ok: false,
    rejection: { field: 'measure', zh: '黄牌的措施应为 限产或停产整治' },
  });
  const dflt = decideIssue({ ...order, due: undefined }, '2027-03-01T02:00:00.000Z', policy);
  expect(dflt).toMatchObject({ ok: true, events: [{ due: '2027-03-31' }] });
});
