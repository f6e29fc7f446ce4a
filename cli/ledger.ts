import type { Command } from 'commander';
import type { CliContext } from './session';
import { storeOf } from './restriction';

/** The chain is broken; what and where has been printed already. The CLI exits with its own code for it. */
export class LedgerBroken extends Error {
  override name = 'LedgerBroken';
}

/** `duban ledger verify`: walks the whole hash chain and names the first row that does not follow. */
export function registerLedgerCommands(program: Command, { say, warn, getSession }: CliContext): void {
  const group = program.command('ledger').description('记录账本 / the tamper-evident ledger');
  group
    .command('verify')
    .description('校验整个账本的哈希链 / verify the whole hash chain')
    .option('--json', '输出 JSON / machine-readable output')
    .option('--head', "并给出末条记录的哈希（两份副本相同）/ also the last row's hash (equal on two copies)")
    .action(async (o: { json?: boolean; head?: boolean }) => {
      const s = await getSession();
      const store = await storeOf(s);
      // With the data folder's files, every attachment the ledger names is checked against its hash too.
      const checked = s.attachments ? await (await s.attachments()).verifyLedger() : undefined;
      const { files, ...v } = checked ?? { ...(await store.verifyLedger()), files: undefined };
      const head = o.head ? ((await store.ledgerHead()) ?? null) : undefined;
      if (o.json) say(JSON.stringify(head === undefined ? v : { ...v, head }, null, 2));
      else if (v.ok) {
        say(`账本完整 / ledger intact：共 ${v.rows} 条记录 / ${v.rows} rows`);
        if (v.superseded)
          say(
            `其中 ${v.superseded} 条已被其工作流重新决定后的记录取代 / ${v.superseded} of them superseded by a later decision of their workflow`,
          );
        if (files) say(`佐证材料 ${files} 份与其哈希一致 / ${files} attachment(s) match their hashes`);
        if (head) say(`末条 / head：#${head.id} ${head.hash}`);
      } else {
        warn(
          `账本校验未通过：问题出在第 ${v.firstBadId} 行 / ledger verification FAILED at row ${v.firstBadId}`,
        );
        warn(`问题 / problem: ${v.problem}`);
        warn(`（已校验 ${v.rows} 行 / ${v.rows} rows checked）`);
      }
      if (!v.ok) throw new LedgerBroken(v.problem);
    });
}
