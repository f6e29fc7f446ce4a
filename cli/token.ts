import type { Command } from 'commander';
import type { TokenRecord } from '../store';
import type { CliContext, Session } from './session';
import { nonEmpty } from './task';
import { localTime } from '../domain';
import { table } from './format';
import { BadInput } from '../services/errors';
import { createToken, revokeToken } from '../services/tokens';

const ROLE_ZH: Record<TokenRecord['role'], string> = {
  supervisor: '督查室',
  leadership: '区领导',
  department: '责任单位',
  region: '镇街',
};

async function tokenStore(s: Session) {
  if (!s.store) throw new Error('this session has no store');
  return s.store({ create: true });
}

/** The request's fields as the options people typed. */
const OPTION: Record<string, string> = {
  role: '--role',
  department: '--dept',
  region: '--region',
  person: '--person',
  name: '--name',
};

const scopeOf = (t: TokenRecord) => t.department ?? t.region ?? '';

/** `duban token …`: API and dashboard tokens; a token is shown once, the store keeps only its hash. */
export function registerTokenCommands(program: Command, { say, warn, getSession }: CliContext): void {
  const group = program
    .command('token')
    .description('访问令牌：创建、列出、撤销 / API and dashboard tokens: create, list, revoke');

  group
    .command('create')
    .description('创建令牌（只显示这一次） / create a token (shown this once only)')
    .requiredOption(
      '--role <role>',
      '角色 / role: supervisor(督查室) leadership(区领导) department(责任单位) region(镇街)',
      nonEmpty('--role'),
    )
    .option('--dept <department>', '责任单位（department 角色） / the department', nonEmpty('--dept'))
    .option('--department <department>', '同 --dept / the same as --dept', nonEmpty('--department'))
    .option(
      '--person <name>',
      '经办人：单位通讯录中的人员，记入台账 / a person of the department, recorded on the ledger',
      nonEmpty('--person'),
    )
    .option('--region <region>', '镇街（region 角色） / the 镇街', nonEmpty('--region'))
    .option('--name <name>', '名称，用于撤销（默认为单位名） / a name to revoke it by', nonEmpty('--name'))
    .option('--json', '输出 JSON / machine-readable output')
    .action(
      async (o: {
        role: string;
        dept?: string;
        department?: string;
        person?: string;
        region?: string;
        name?: string;
        json?: boolean;
      }) => {
        const session = await getSession();
        const store = await tokenStore(session);
        const request = {
          role: o.role.trim() as TokenRecord['role'],
          department: o.dept ?? o.department,
          region: o.region,
          person: o.person,
          name: o.name,
        };
        // The unit is checked against the directory: a token speaks for a body the directory knows, as its kind.
        const { token, record } = await createToken(store, request, undefined, session.directory?.()).catch(
          (e: unknown) => {
            const option = e instanceof BadInput ? OPTION[e.field] : undefined;
            throw option
              ? new BadInput(option, e instanceof Error ? e.message.replace(/^\w+:/, `${option}:`) : '')
              : e;
          },
        );
        if (o.json) {
          say(JSON.stringify({ token, ...record }, null, 2));
          return;
        }
        say(token);
        warn(
          `已创建 ${ROLE_ZH[record.role]}令牌“${record.name}”（编号 ${record.id}${scopeOf(record) ? `，${scopeOf(record)}` : ''}）。` +
            `令牌只显示这一次，请妥善交给使用人；撤销：duban token revoke ${record.name} / ` +
            `token “${record.name}” (id ${record.id}, ${record.role}) created; it is shown this once only`,
        );
      },
    );

  group
    .command('list')
    .description('列出令牌（不含令牌本身） / list tokens (never the secrets)')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const list = await (await tokenStore(await getSession())).listTokens();
      if (o.json) {
        say(JSON.stringify(list, null, 2));
        return;
      }
      if (list.length === 0) {
        say('（还没有令牌 / no tokens yet）');
        return;
      }
      const rows = list.map((t) => [
        String(t.id),
        t.name,
        `${ROLE_ZH[t.role]} ${t.role}`,
        scopeOf(t),
        localTime(t.createdAt),
        t.revokedAt ? `已撤销 ${localTime(t.revokedAt)}` : '有效',
      ]);
      say(table(['编号', '名称', '角色', '单位/镇街', '创建时间', '状态'], rows).replace(/\n$/, ''));
    });

  group
    .command('revoke')
    .description('撤销令牌（按编号或名称） / revoke a token by id or name')
    .argument('<id-or-name>', '编号或名称 / id or name')
    .action(async (idOrName: string) => {
      const record = await revokeToken(await tokenStore(await getSession()), idOrName);
      say(
        `已撤销令牌“${record.name}”（编号 ${record.id}），撤销时间 ${localTime(record.revokedAt!)} / token revoked`,
      );
    });
}
