import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CommandKey } from '../config/command-key';
import {
  restrictionWorkflowId,
  sealCommand,
  type CommandSeal,
  type ImposeOrder,
  type LiftOrder,
  type RestrictionEvent,
  type RestrictionNotice,
  type RestrictionState,
} from '../domain';
import type { Store } from '../store';
import {
  RESTRICTION_WORKFLOW,
  imposeRestrictionSignal,
  liftRestrictionSignal,
  type RestrictionWorkflow,
} from '../workflows/restriction-messages';
import { deliverOnce, type OutboxStore } from './deliver';
import { resolveAudience, type Directory } from '../directory/directory';
import type { NoticeResult } from './index';
import type { Mailer } from './mailer';
import { renderRestrictionNotice } from './restriction-mail';

export interface RestrictionActivityDeps {
  store: Pick<Store, 'appendEvents' | 'applyRestrictionEvents' | 'listRestrictions'> & OutboxStore;
  client: Pick<Client, 'workflow'>;
  taskQueue: string;
  mailer: Pick<Mailer, 'send'>;
  directory: Directory;
  /** Seals the ladder's signals; a region's workflow started with it refuses unsealed ones. */
  commandKey?: CommandKey;
}

export type RestrictionSignal =
  | { region: string; action: 'impose'; order: ImposeOrder }
  | { region: string; action: 'lift'; order: LiftOrder };

export function createRestrictionActivities({
  store,
  client,
  taskQueue,
  mailer,
  directory,
  commandKey,
}: RestrictionActivityDeps) {
  const seal = (workflowId: string, name: string, payload: unknown): CommandSeal | undefined =>
    commandKey && sealCommand(commandKey.sign, { workflowId, name, payload }, new Date().toISOString());
  return {
    /** Ledger first, then the projection: a list never shows what the ledger does not hold. */
    async recordRestrictionEvents({
      workflowId,
      events,
      state,
    }: {
      workflowId: string;
      events: RestrictionEvent[];
      state: RestrictionState;
    }): Promise<void> {
      await store.appendEvents(workflowId, events);
      await store.applyRestrictionEvents(events);
      // The workflow is the truth; a projection that disagrees (a restored backup, a hand edit) is worth a word.
      const listed = await store.listRestrictions({ region: state.region, activeOnly: true });
      if (listed.length !== state.active.length)
        log.warn('restrictions projection differs from the workflow', {
          workflowId,
          projected: listed.length,
          active: state.active.length,
        });
    },

    async sendRestrictionNotice({
      workflowId,
      notice,
    }: {
      workflowId: string;
      notice: RestrictionNotice;
    }): Promise<NoticeResult> {
      return deliverOnce(
        { store, mailer },
        {
          workflowId,
          key: notice.key,
          to: resolveAudience(directory, [{ role: 'leadership' }]),
          mail: renderRestrictionNotice(notice),
        },
      );
    },

    /**
     * The ladder's impose or lift, sent from a task workflow to its region's. An impose starts the region's
     * workflow if need be; a lift where there is none has nothing to lift.
     */
    async restrictionSignal({
      region,
      action,
      order,
    }: RestrictionSignal): Promise<{ workflowId: string; delivered: boolean }> {
      const workflowId = restrictionWorkflowId(region);
      if (action === 'impose') {
        await client.workflow.signalWithStart<RestrictionWorkflow, [ImposeOrder, CommandSeal?]>(
          RESTRICTION_WORKFLOW,
          {
            workflowId,
            taskQueue,
            args: [{ region: region.trim(), commandKey: commandKey?.publicKey }],
            signal: imposeRestrictionSignal,
            signalArgs: [order, seal(workflowId, imposeRestrictionSignal.name, order)],
          },
        );
        return { workflowId, delivered: true };
      }
      try {
        await client.workflow
          .getHandle(workflowId)
          .signal(liftRestrictionSignal, order, seal(workflowId, liftRestrictionSignal.name, order));
        return { workflowId, delivered: true };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { workflowId, delivered: false };
        throw err;
      }
    },
  };
}

export type RestrictionActivities = ReturnType<typeof createRestrictionActivities>;
