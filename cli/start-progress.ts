import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option } from 'commander';
import type { TaskSpecInput } from '../domain';
import type { DubanClient, StartResult } from '../services/facade';

/** Below this many workflows a start without a terminal prints no progress lines: it is over at once. */
export const PROGRESS_LINES_FROM = 200;

/** `--concurrency <n>`: how many workflows `plan start` and `task start` start at once. */
export const concurrencyOption = () =>
  new Option(
    '--concurrency <n>',
    '同时启动的流程数（默认取 DUBAN_START_CONCURRENCY） / workflows started at once (default: DUBAN_START_CONCURRENCY)',
  ).argParser((v) => {
    if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 1000)
      throw new InvalidArgumentError('--concurrency 应为 1–1000 / --concurrency must be 1–1000');
    return Number(v);
  });

/**
 * Starts the workflows through the facade (its bounded parallelism), drawing a bar on a terminal; on a
 * pipe or a log, a line at each tenth for large batches only, so a log keeps a trace without a flood.
 */
export async function startWithProgress(
  facade: Pick<DubanClient, 'startTasks'>,
  specs: readonly TaskSpecInput[],
  opts: { json?: boolean; concurrency?: number; tty: boolean; warn(s: string): void },
): Promise<StartResult[]> {
  const total = specs.length;
  const bar =
    !opts.json && opts.tty && total > 1
      ? new SingleBar({
          format: '交办中 / starting [{bar}] {value}/{total}',
          stream: process.stderr,
          clearOnComplete: true,
        })
      : undefined;
  const lines = !opts.json && !opts.tty && total >= PROGRESS_LINES_FROM;
  let tenth = 0;
  const onProgress = (done: number) => {
    bar?.update(done);
    if (!lines) return;
    const now = Math.floor((done * 10) / total);
    if (now > tenth) {
      tenth = now;
      opts.warn(`交办中 ${done}/${total} / starting: ${done} of ${total}`);
    }
  };
  bar?.start(total, 0);
  try {
    return await facade.startTasks(specs, onProgress, { concurrency: opts.concurrency });
  } finally {
    bar?.stop();
  }
}
