import { log } from '@temporalio/activity';
import { accountableBodies, dayOf, type AccountabilityRecord, type TaskSpec } from '../domain';
import type { Store } from '../store';
import { findDepartment, headOf, type Directory } from '../directory/directory';

export interface AccountabilityActivityDeps {
  store: Pick<Store, 'addAccountability'>;
  directory: Directory;
}

export interface RecordAccountabilityInput {
  taskWorkflowId: string;
  spec: TaskSpec;
  rung: string;
  reason: string;
  referral: string;
  at: string;
}

export function createAccountabilityActivities({ store, directory }: AccountabilityActivityDeps) {
  return {
    /**
     * Names the persons responsible on the day — the head of each lead department that signs the
     * completion (the first lead, or every lead with `completion: all-leads`) and, for a region's task,
     * the region's head — as the directory's post history says, and stores each record once.
     * Returns the records as stored, so a retry names the same people as the first attempt did.
     */
    async recordAccountability(input: RecordAccountabilityInput): Promise<AccountabilityRecord[]> {
      const { taskWorkflowId, spec, rung, reason, referral, at } = input;
      const day = dayOf(at);
      const bodies = accountableBodies(spec);
      const persons = bodies.map((body) => {
        const head = headOf(directory, body, day);
        if (head) return { name: head.name, post: head.post, department: head.department };
        // Better a record naming the post than none: the directory can be fixed, a lost record cannot.
        log.warn('no head in the directory', { taskWorkflowId, department: body });
        const department = findDepartment(directory, body) ?? body;
        return { name: `${department}主要负责人（通讯录未登记）`, post: '主要负责人', department };
      });
      const unique = persons.filter((p, i) => persons.findIndex((q) => q.name === p.name) === i);
      const stored = await store.addAccountability(
        unique.map((person) => ({
          person,
          taskWorkflowId,
          plan: spec.plan,
          taskId: spec.id,
          taskTitle: spec.title,
          rung,
          reason,
          referral,
          at,
        })),
      );
      return stored.map(({ id: _id, ...record }) => record);
    },
  };
}

export type AccountabilityActivities = ReturnType<typeof createAccountabilityActivities>;
