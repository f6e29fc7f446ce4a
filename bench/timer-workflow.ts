/**
 * Baselines beside duban's own workflows. `bareTimer` sleeps until an instant and returns the workflow's
 * clock when it woke: Temporal's own timer delay with nothing of duban's around it. `bareOpen` is an open
 * workflow with one pending timer, the baseline of the scale benchmark's start rate.
 */
import { sleep } from '@temporalio/workflow';

export async function bareTimer(atMs: number): Promise<number> {
  await sleep(Math.max(1, atMs - Date.now()));
  return Date.now();
}

export async function bareOpen(forMs: number): Promise<void> {
  await sleep(forMs);
}

export { bareTask } from './bare-workflow';
