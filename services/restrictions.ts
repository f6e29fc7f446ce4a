import {
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { CommandKey } from '../config/command-key';
import {
  SUPERVISOR_ONLY_RESTRICTION,
  decideRestriction,
  mayActOnRestrictions,
  emptyRestrictions,
  rejectionMessage,
  restrictionWorkflowId,
  sealCommand,
  type ActiveRestriction,
  type CommandSeal,
} from '../domain';
import {
  RESTRICTION_WORKFLOW,
  activeRestrictionsQuery,
  imposeRestrictionUpdate,
  liftRestrictionUpdate,
  type RestrictionChange,
  type SupervisorImposeArgs,
  type SupervisorLiftArgs,
  type RestrictionWorkflow,
} from '../workflows/restriction-messages';
import { CommandRefused, TemporalUnavailable } from './errors';
import { grpcCode, isUnreachable, normalizeActor, refusalOf } from './facade';

/** The regions' 限批 as their workflows hold them (live), and a supervisor's impose and lift. */
export interface RestrictionClient {
  /** In force in `region` now; none when the region has never had a restriction (no workflow). */
  active(region: string): Promise<ActiveRestriction[]>;
  /** Starts the region's workflow on first use. Throws CommandRefused when refused. */
  impose(region: string, args: SupervisorImposeArgs): Promise<RestrictionChange>;
  lift(region: string, args: SupervisorLiftArgs): Promise<RestrictionChange>;
}

export interface RestrictionClientOptions {
  client: Client;
  taskQueue: string;
  callTimeoutMs?: number;
  /** Seals impose and lift; a region's workflow started with its public half refuses unsealed ones. */
  commandKey?: CommandKey;
}

const DEADLINE_EXCEEDED = 4;

export function createRestrictionClient({
  client,
  taskQueue,
  callTimeoutMs = 30_000,
  commandKey,
}: RestrictionClientOptions): RestrictionClient {
  /** The update's arguments and id, sealed for `region`'s workflow when there is a key. */
  const sealed = <A>(region: string, name: string, payload: A) => {
    const updateId = randomUUID();
    const workflowId = restrictionWorkflowId(region);
    const seal: CommandSeal | undefined =
      commandKey &&
      sealCommand(commandKey.sign, { workflowId, name, updateId, payload }, new Date().toISOString());
    return { updateId, args: (seal ? [payload, seal] : [payload]) as [A, CommandSeal?] };
  };

  async function call<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await client.withDeadline(Date.now() + callTimeoutMs, fn);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
      if (isUnreachable(err))
        throw new TemporalUnavailable(
          'Temporal 服务器无法连接 / the Temporal server is not reachable',
          'server',
          {
            cause: err,
          },
        );
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpcCode(err) === DEADLINE_EXCEEDED)
        throw new TemporalUnavailable(
          `${Math.round(callTimeoutMs / 1000)} 秒内没有 worker 处理，请确认 duban 已启动（npm start） / ` +
            `no worker answered within ${Math.round(callTimeoutMs / 1000)} s: is duban running (npm start)?`,
          'worker',
          { cause: err },
        );
      throw err;
    }
  }

  // Refused here too, so a department's attempt does not start a region's workflow for nothing.
  const asSupervisor = <A extends { actor: string }>(args: A): A => {
    const actor = normalizeActor(args.actor);
    if (!mayActOnRestrictions(actor)) {
      const r = SUPERVISOR_ONLY_RESTRICTION;
      throw new CommandRefused(rejectionMessage(r), r.code, r.field);
    }
    return { ...args, actor };
  };

  return {
    async active(region) {
      try {
        return await call(() =>
          client.workflow.getHandle(restrictionWorkflowId(region)).query(activeRestrictionsQuery),
        );
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return [];
        throw err;
      }
    },

    impose: (region, args) =>
      call(() =>
        client.workflow.executeUpdateWithStart(imposeRestrictionUpdate, {
          ...sealed(region, imposeRestrictionUpdate.name, asSupervisor(args)),
          startWorkflowOperation: new WithStartWorkflowOperation<RestrictionWorkflow>(RESTRICTION_WORKFLOW, {
            workflowId: restrictionWorkflowId(region),
            taskQueue,
            args: [{ region: region.trim(), commandKey: commandKey?.publicKey }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        }),
      ),

    async lift(region, args) {
      const payload = asSupervisor(args);
      try {
        return await call(() =>
          client.workflow
            .getHandle(restrictionWorkflowId(region))
            .executeUpdate(liftRestrictionUpdate, sealed(region, liftRestrictionUpdate.name, payload)),
        );
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // No workflow: the region has never been restricted, so the domain's own refusal applies.
        const d = decideRestriction(
          emptyRestrictions(region),
          { ...payload, by: payload.actor, type: 'lift' },
          new Date().toISOString(),
        );
        if (d.ok) return { events: [], active: [] };
        throw new CommandRefused(rejectionMessage(d.rejection), d.rejection.code);
      }
    },
  };
}
