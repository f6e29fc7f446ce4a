import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { dayOf } from '../domain';
import { loadDirectory, type Directory } from '../directory/directory';
import { BadInput, CommandRefused, FileRefused, TaskNotFound, TemporalUnavailable } from '../services/errors';
import { registerCalendarCommands } from './calendar';
import { registerTaskCommands } from './task';
import { EXIT, openSession, type CliContext, type CliIo, type Session } from './session';
import { StoreMissing } from '../services/errors';
import { registerAccountabilityCommands } from './accountability';
import { LedgerBroken, registerLedgerCommands } from './ledger';
import { registerRestrictionCommands } from './restriction';
import { registerPlanCommands } from './plan';
import { registerTokenCommands } from './token';
import { registerDbCommands } from './db';
import { registerDigestCommands } from './digest';
import { registerIndicatorCommands } from './indicator';
import { registerDutyCommands } from './duty';
import { registerBulletinCommands } from './bulletin';
import { registerReportCommands } from './report';
import { registerAgreementCommands } from './agreement';
import { registerAssessmentCommands } from './assessment';
import { registerEnterpriseCommands } from './enterprise';
import { CopyError } from '../services/db-copy';
import { visible } from './format';
import { TaskFileError } from '../services/task-file';

const COMMANDER_ZH: Record<string, string> = {
  'commander.missingMandatoryOptionValue': '缺少必填选项',
  'commander.missingArgument': '缺少参数',
  'commander.optionMissingArgument': '选项缺少取值',
  'commander.unknownOption': '未知选项',
  'commander.unknownCommand': '未知命令',
  'commander.excessArguments': '参数过多',
  'commander.invalidArgument': '参数取值无效',
  'commander.conflictingOption': '选项冲突',
};

/** The command groups (`duban task …`, …), each registering itself on the program. */
const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerTaskCommands,
  registerCalendarCommands,
  registerRestrictionCommands,
  registerAccountabilityCommands,
  registerLedgerCommands,
  registerPlanCommands,
  registerTokenCommands,
  registerDbCommands,
  registerDigestCommands,
  registerIndicatorCommands,
  registerDutyCommands,
  registerBulletinCommands,
  registerReportCommands,
  registerAgreementCommands,
  registerAssessmentCommands,
  registerEnterpriseCommands,
];

/** Runs the `duban` CLI on `argv` (the arguments after the program name); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  // What the CLI prints may hold stored text: its own newlines and tabs stay, every other control shows.
  const say = (s: string) => void out.write(visible(s.endsWith('\n') ? s : `${s}\n`, '\n\t'));
  const warn = (s: string) => void err.write(visible(s.endsWith('\n') ? s : `${s}\n`, '\n\t'));
  const today = io.today ?? dayOf(Date.now());

  let config: Config | undefined;
  let session: Session | undefined;
  const getSession = async () => {
    if (!session) {
      config ??= loadConfig(io.env ?? process.env, io.cwd ?? process.cwd());
      session = await (io.open ?? openSession)(config);
    }
    return session;
  };
  const withTemporal = async () => {
    const s = await getSession();
    await s.ensureTemporal();
    return s;
  };

  const program = new Command('duban')
    .description('督办：政府工作方案任务督办 / duban: task accountability for government work plans')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void out.write(s),
      writeErr: (s) => void err.write(s),
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true);

  let dir: Directory | undefined;
  const directory = () =>
    (dir ??= loadDirectory(
      (config ??= loadConfig(io.env ?? process.env, io.cwd ?? process.cwd())).directoryFile,
    ));

  const progressToTty = err === process.stderr && process.stderr.isTTY;
  const ctx: CliContext = {
    say,
    warn,
    today,
    getSession,
    withTemporal,
    progressToTty,
    cwd: io.cwd,
    directory,
  };
  for (const register of COMMAND_GROUPS) register(program, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    return report(e);
  } finally {
    await session?.close().catch(() => undefined);
  }

  function report(e: unknown): number {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      if (e.code === 'commander.help') return e.exitCode;
      const en = e.message.replace(/^error: /, '');
      const zh = COMMANDER_ZH[e.code];
      warn(zh ? `错误：${zh} / error: ${en}` : `错误 / error: ${en}`);
      warn('用法见 / usage: duban task --help');
      return EXIT.error;
    }
    if (e instanceof LedgerBroken) return EXIT.ledgerBroken;
    if (e instanceof CommandRefused) {
      warn(`已拒绝 / refused: ${e.message}`);
      return EXIT.refused;
    }
    if (e instanceof TemporalUnavailable) {
      const address = session?.address ?? '';
      if (e.what === 'server') {
        warn(
          `无法连接 Temporal 服务器 ${address}：请先在另一个终端运行 npm start 启动 duban（或设置 TEMPORAL_ADDRESS）`,
        );
        warn(
          `the Temporal server at ${address} is not reachable: start duban first with \`npm start\` (or set TEMPORAL_ADDRESS)`,
        );
      } else {
        warn(e.message);
      }
      return EXIT.unavailable;
    }
    if (
      e instanceof TaskFileError ||
      e instanceof ConfigError ||
      e instanceof StoreMissing ||
      e instanceof CopyError
    ) {
      warn(`错误 / error: ${e.message}`);
      return EXIT.error;
    }
    if (e instanceof BadInput || e instanceof TaskNotFound || e instanceof FileRefused) {
      warn(`错误 / error: ${e.message}`);
      return EXIT.error;
    }
    warn(`出错了 / failed: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.error;
  }
}
