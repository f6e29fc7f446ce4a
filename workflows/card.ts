import {
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createCardActivities } from '../activities/card';
import {
  cardNotices,
  decideInspection,
  decideIssue,
  decideTime,
  evolveCard,
  issuedCard,
  nextCardRung,
  type CardEvent,
  type CardNotice,
  type CardState,
  type InspectArgs,
} from '../domain/cards';
import { toMillis } from '../domain/time';
import { Serial } from './mutex';
import { MAIL, Outbox, RECORDING, nowIso, refuse, rungClock } from './shell';
import { cardStateQuery, inspectCardUpdate, type CardWorkflowInput } from './card-messages';

type Activities = ReturnType<typeof createCardActivities>;

// A card step not on the ledger would be one nobody can prove.
const { recordCardSteps } = proxyActivities<Activities>(RECORDING);
const { sendCardNotice } = proxyActivities<Activities>(MAIL);

/**
 * One run per card (`card/{code}`; a new run for the enterprise's next card). A 黄牌 reminds the 镇街 and
 * the environment department before its deadline; a passing re-inspection lifts it; a failed one or the
 * deadline passing turns it 红牌 and leadership is alerted. A 红牌 waits for a passing re-inspection. Every
 * step goes on the enterprise's ledger chain before anyone can see it.
 */
export async function cardWorkflow({ order, policy }: CardWorkflowInput): Promise<CardState> {
  const { workflowId } = workflowInfo();
  const serial = new Serial();
  const outbox = new Outbox<CardNotice>([], (notice) => sendCardNotice({ workflowId, notice }));

  const issue = decideIssue(order, nowIso(), policy);
  // The client decided the same before starting: a refusal here means the policy changed in between.
  if (!issue.ok) refuse(issue);
  let state = issuedCard(order, issue.events[0], policy);

  // What a query shows: the card as recorded on the ledger (step 0 until its first step is there).
  let shown: CardState = { ...state, step: 0 };
  const apply = async (events: CardEvent[]) => {
    if (events.length === 0) return;
    const before = state;
    for (const e of events) state = evolveCard(state, e);
    await recordCardSteps({
      code: state.code,
      steps: events.map((event) => ({ key: `card-${state.card}-${event.step}`, event })),
    });
    shown = state;
    outbox.queued.push(...cardNotices(before, events, policy));
  };
  const decide = (arg: InspectArgs) => {
    const d = decideInspection(state, arg, nowIso(), policy);
    if (!d.ok) refuse(d);
    return d.events;
  };
  setHandler(
    inspectCardUpdate,
    (arg) =>
      serial.run(async () => {
        await apply(decide(arg));
        return shown;
      }),
    { validator: (arg) => void decide(arg) },
  );
  setHandler(cardStateQuery, () => shown);
  // Handlers first, so a query or an update arriving at once waits for the card's first step, not in vain.
  await serial.run(() => apply(issue.events));

  const wait = rungClock(true);
  while (state.status === 'open') {
    outbox.dispatch();
    const seen = state.step;
    const waiting = outbox.queued.length;
    const sending = outbox.inFlight;
    const next = nextCardRung(state, policy);
    const rang = await wait(
      next === undefined ? undefined : toMillis(next),
      () => state.step !== seen || outbox.queued.length !== waiting || outbox.inFlight !== sending,
    );
    if (rang) await serial.run(() => apply(decideTime(state, nowIso(), policy)));
  }
  // Lifted: the mail already queued still goes out before the run ends.
  outbox.dispatch();
  // The update that lifted it answers before the run ends.
  await condition(() => outbox.queued.length === 0 && allHandlersFinished());
  return shown;
}
