import { addDays, type CommandName, type TaskState } from '../domain';
import { html, type Html } from './html';

// The supervisor's forms for changing a running task (改派, 修改, 增加里程碑, 拆分), shown beside the
// others when the contract says the supervisor may send them now; each posts to the command's route.

const field = (label: string, input: Html) => html`<label>${label}${input}</label>`;
const reason = (zh: string) => field(zh, html`<textarea name="reason" required maxlength="5000"></textarea>`);

function form(api: string, cmd: CommandName, title: string, fields: Html, button: string): Html {
  return html`<form data-form="command" data-command="${cmd}" method="post" action="${api}/${cmd}">
    <h3>${title}</h3>
    ${fields}<button type="submit">${button}</button>
    <div class="form-msg" role="status"></div>
  </form>`;
}

export function changeForms(
  api: string,
  s: TaskState,
  today: string,
  may: (c: CommandName) => boolean,
): Html[] {
  const out: Html[] = [];
  if (may('reassign'))
    out.push(
      form(
        api,
        'reassign',
        '改派（转办）',
        html`<p class="muted">新的牵头单位须重新签收；不再承办的单位将收到通知。</p>
          ${field('牵头单位（用逗号分隔，不改可不填）', html`<input name="lead" data-kind="list" value="${s.spec.lead.join('，')}" />`)}${field('配合单位（用逗号分隔，不改可不填）', html`<input name="cooperating" data-kind="list" value="${s.spec.cooperating.join('，')}" />`)}${reason('改派理由')}`,
        '改派',
      ),
    );
  if (may('editTask'))
    out.push(
      form(
        api,
        'editTask',
        '修改任务',
        html`${field('任务名称', html`<input name="title" maxlength="200" value="${s.spec.title}" />`)}${field('任务内容', html`<textarea name="content" maxlength="10000">${s.spec.text}</textarea>`)}${reason('修改理由')}`,
        '保存修改',
      ),
    );
  if (may('addMilestone'))
    out.push(
      form(
        api,
        'addMilestone',
        '增加里程碑',
        html`${field('日期', html`<input type="date" name="due" required min="${addDays(today, 1)}" max="${s.due}" />`)}${field('里程碑名称', html`<input name="title" required maxlength="200" />`)}${reason('增加理由')}`,
        '增加',
      ),
    );
  if (may('splitTask'))
    out.push(
      form(
        api,
        'splitTask',
        '拆分任务',
        html`<p class="muted">
            每行一个子任务：名称;截止日期;牵头单位[;配合单位]。子任务另行交办，本任务仍由督查室审核办结。
          </p>
          ${field('子任务', html`<textarea name="subs" data-kind="subs" required placeholder="完成排查;${s.due};区环保局"></textarea>`)}${reason('拆分理由')}`,
        '拆分',
      ),
    );
  return out;
}
