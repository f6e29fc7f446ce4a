import type { Command } from 'commander';
import { copyStore } from '../services/db-copy';
import type { CliContext } from './session';

/** `duban db copy`: moves an installation's store between SQLite and PostgreSQL. */
export function registerDbCommands(program: Command, { say, warn, cwd }: CliContext): void {
  const group = program.command('db').description('数据库 / the store database');
  group
    .command('copy')
    .description('复制整个数据库（SQLite ↔ PostgreSQL）/ copy every table to another database')
    .requiredOption('--from <url>', '源：sqlite:data/duban.db 或 postgres://… / source')
    .requiredOption('--to <url>', '目标：postgres://… 或 sqlite:… / target')
    .option('--force', '目标非空时清空后覆盖 / replace what the target holds')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { from: string; to: string; force?: boolean; json?: boolean }) => {
      let last = '';
      {
        const r = await copyStore(o.from, o.to, {
          force: o.force,
          cwd,
          progress: ({ table, copied, total }) => {
            const line = `${table}: ${copied}/${total}`;
            // One line per table when done, and for long tables every page on the way.
            if (copied === total || line !== last) warn(`复制 / copying ${line}`);
            last = line;
          },
        });
        if (o.json) return say(JSON.stringify(r, null, 2));
        for (const t of r.tables) say(`${t.table}: ${t.rows} 行 / rows`);
        say(
          r.head
            ? `账本完整，末条 #${r.head.id} 哈希 ${r.head.hash} / ledger intact, head #${r.head.id} ${r.head.hash}`
            : '账本为空 / the ledger is empty',
        );
      }
    });
}
