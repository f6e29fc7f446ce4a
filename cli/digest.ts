import { Option, type Command } from 'commander';
import { digestLine, renderDigestChanges } from '../domain';
import {
  digestItem,
  digestListJson,
  fullDigest,
  pendingDigest,
  type FullDigestRequest,
} from '../services/digest';
import type { CliContext, Session } from './session';
import { storeOf } from './restriction';

interface DigestOptions {
  full?: boolean;
  changes?: boolean;
  json?: boolean;
  send?: boolean;
}

function sentLine(r: FullDigestRequest): string {
  if (!r.done)
    return (
      `已交由 worker 发送（${r.workflowId}），worker 运行后即发出 / ` +
      `handed to the worker (${r.workflowId}): it is mailed once a worker runs it`
    );
  if (!r.sent)
    return `未发送：目录中没有区领导或督查室的收件人（${r.workflowId}） / not sent: no recipient in the directory`;
  return `已向区领导发送完整清单，${r.items} 项（${r.workflowId}） / the full list (${r.items} task(s)) was mailed to leadership`;
}

async function send(s: Session, day: string): Promise<FullDigestRequest> {
  if (!s.digest) throw new Error('this session cannot start the digest workflow');
  return s.digest.sendFull(day);
}

/**
 * `duban digest`: the full list of what is overdue or up the ladder today (the daily mail tells only what
 * changed), what the next daily digest would say, or the full list mailed to leadership now.
 */
export function registerDigestCommands(program: Command, ctx: CliContext): void {
  const { say, today, getSession, withTemporal } = ctx;
  program
    .command('digest')
    .description(
      '督办摘要：今日逾期及升级任务的完整清单，或下一次每日摘要的内容；--send 立即发送给区领导 / ' +
        "the digest: today's full list of overdue and escalated tasks, or what the next daily digest would say",
    )
    .addOption(new Option('--full', '完整清单（默认） / the full list (the default)').conflicts('changes'))
    .option(
      '--changes',
      '下一次每日摘要的内容（自上次通报以来的变化） / what the next daily digest would say',
    )
    .option('--json', '输出 JSON / machine-readable output')
    .addOption(
      new Option(
        '--send',
        '通过 worker 立即把完整清单发送给区领导和督查室 / mail the full list to leadership now, through the worker',
      ).conflicts('changes'),
    )
    .action(async (o: DigestOptions) => {
      if (o.send) {
        const r = await send(await withTemporal(), today);
        say(o.json ? JSON.stringify(r, null, 2) : sentLine(r));
        return;
      }
      const s = await getSession();
      if (o.changes) {
        const { day, record } = await pendingDigest(await storeOf(s), today);
        if (o.json) {
          const changes = (record?.changes ?? []).map(({ kind, was, task }) => ({
            kind,
            ...(was ? { was } : {}),
            ...digestItem(task),
          }));
          say(JSON.stringify({ day, ...(record?.since ? { since: record.since } : {}), changes }, null, 2));
        } else if (!record) {
          say(
            `自上次通报以来没有变化，${day} 的每日摘要不会发送 / nothing changed since the last digest: none on ${day}`,
          );
        } else {
          const mail = renderDigestChanges(record);
          say(`${mail.subject}\n\n${mail.text}`);
        }
        return;
      }
      const list = await fullDigest(s.facade, today);
      if (o.json) {
        say(JSON.stringify(digestListJson(list), null, 2));
        return;
      }
      const n = list.tasks.length;
      if (n === 0) {
        say(`截至 ${list.day}，没有逾期或升级的任务 / nothing overdue or escalated as of ${list.day}`);
        return;
      }
      say(`截至 ${list.day}，逾期及升级任务 ${n} 项 / ${n} task(s) overdue or escalated as of ${list.day}`);
      for (const t of list.tasks) say(digestLine(t));
    });
}
