import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CardOrder, CardPolicy, CardState, InspectArgs } from '../domain/cards';

/** The workflow type's registered name (clients start it by name, without importing the workflow). */
export const CARD_WORKFLOW = 'cardWorkflow';

export interface CardWorkflowInput {
  /** The card as given; the workflow id is `card/{code}`, one run per card. */
  order: CardOrder;
  /** The policy the card was given under (config, parsed once where it was read). */
  policy: CardPolicy;
}

/** The workflow's signature, for clients that start it by name. */
export type CardWorkflow = (input: CardWorkflowInput) => Promise<CardState>;

/** A re-inspection: pass lifts the card, fail turns a 黄牌 red. Refused before history when malformed. */
export const inspectCardUpdate = defineUpdate<CardState, [InspectArgs]>('inspectCard');

export const cardStateQuery = defineQuery<CardState>('cardState');
