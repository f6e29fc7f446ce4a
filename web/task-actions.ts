import { addDays, available, type CommandName, type TaskState, type TaskSummary } from '../domain';
import { ACCEPTED_EXTENSIONS } from '../services/file-types';
import { html, type Html } from './html';
import { taskPath } from './layout';
import { actorOf, type Principal } from './session';
import { changeForms } from './task-change-forms';

// The forms on a task's page. Each posts JSON to the API's command route (script.ts sends it); the
// API decides again, so a form shown by mistake can never do more than the token may.

const field = (label: string, input: Html) => html`<label>${label}${input}</label>`;
const area = (name: string, required = true, placeholder = '') =>
  html`<textarea
    name="${name}"
    ${required ? html` required` : ''}
    maxlength="5000"
    placeholder="${placeholder}"
  ></textarea>`;

function commandForm(api: string, cmd: CommandName, title: string, fields: Html | string, button: string) {
  return html`<form data-form="command" data-command="${cmd}" method="post" action="${api}/${cmd}">
    <h3>${title}</h3>
    ${fields}<button type="submit">${button}</button>
    <div class="form-msg" role="status"></div>
  </form>`;
}

/** 佐证材料: uploaded to the task first (script.ts), the command then names them by their hashes. */
const files = () =>
  field(
    '佐证材料（可不选；PDF、JPG、PNG、DOCX、XLSX）',
    html`<input type="file" name="attachments" multiple accept="${ACCEPTED_EXTENSIONS.join(',')}" />`,
  );

/**
 * The forms this principal may use on this task now: exactly the commands the contract says it may send.
 * With `withFiles`, the forms whose command carries attachments have a file field.
 */
export function actions(
  p: Principal,
  t: TaskSummary,
  s: TaskState,
  today: string,
  withFiles = false,
): Html[] {
  const upload = withFiles ? files() : '';
  const api = `/api/tasks/${taskPath(t)}`;
  const me = actorOf(p);
  const out: Html[] = [];
  const now = new Set(available(s, me, today));
  const may = (cmd: CommandName) => now.has(cmd);

  if (may('acknowledge'))
    out.push(
      commandForm(
        api,
        'acknowledge',
        '签收',
        html`<p class="muted">确认${me ?? ''}已收到并负责办理本任务。</p>`,
        '签收',
      ),
    );
  if (may('reportProgress'))
    out.push(
      commandForm(
        api,
        'reportProgress',
        '进展反馈',
        html`${field('进展情况', area('note'))}${upload}`,
        '提交反馈',
      ),
    );
  if (may('requestExtension'))
    out.push(
      commandForm(
        api,
        'requestExtension',
        '申请延期',
        html`${field('延期至', html`<input type="date" name="to" required min="${addDays(s.due, 1)}" />`)}${field('延期理由', area('reason'))}`,
        '提交申请',
      ),
    );
  if (may('submitCompletion'))
    out.push(
      commandForm(
        api,
        'submitCompletion',
        '提交办结',
        html`${field('办结情况', area('summary'))}${upload}`,
        '提交办结',
      ),
    );
  if (may('verifyCompletion'))
    out.push(
      commandForm(
        api,
        'verifyCompletion',
        '审核通过',
        field('审核意见（可不填）', area('note', false)),
        '审核通过',
      ),
    );
  if (may('rejectCompletion'))
    out.push(commandForm(api, 'rejectCompletion', '退回', field('退回理由', area('reason')), '退回'));
  if (may('decideExtension')) {
    const pending = s.extensionRequest;
    out.push(
      commandForm(
        api,
        'decideExtension',
        pending ? `延期决定（${pending.by} 申请延期至 ${pending.to}）` : '调整截止日期',
        html`${field(
          '决定',
          html`<select name="approve" data-kind="bool">
            <option value="true">批准</option>
            ${pending ? html`<option value="false">不批准</option>` : ''}
          </select>`,
        )}${field(pending ? '新的截止日期（默认按申请）' : '新的截止日期', html`<input type="date" name="to" ${pending ? '' : html` required`} min="${addDays(s.due, 1)}" />`)}${field('说明（可不填）', area('note', false))}`,
        '确定',
      ),
    );
  }
  if (may('scheduleInterview'))
    out.push(
      commandForm(
        api,
        'scheduleInterview',
        '安排约谈',
        html`${field('时间', html`<input type="datetime-local" name="at" required />`)}${field('地点', html`<input name="place" required maxlength="200" />`)}`,
        '安排',
      ),
    );
  if (may('recordInterview'))
    out.push(
      commandForm(
        api,
        'recordInterview',
        '记录约谈',
        html`${field('参加人员（用逗号或顿号分隔）', html`<input name="attendees" data-kind="list" required />`)}${field('整改意见', area('opinions'))}${field('整改期限（可不填，默认 20 个工作日）', html`<input type="date" name="rectificationDue" />`)}${upload}`,
        '记录',
      ),
    );
  const numbered = (status: 'open' | 'reported') =>
    html`<select name="milestone" data-kind="number" required>
      ${(s.milestones ?? []).flatMap((m, i) =>
        m.status === status
          ? [html`<option value="${String(i + 1)}">${String(i + 1)}. ${m.due} ${m.title}</option>`]
          : [],
      )}
    </select>`;
  if (may('reportMilestone'))
    out.push(
      commandForm(
        api,
        'reportMilestone',
        '报告里程碑完成',
        html`${field('里程碑', numbered('open'))}${field('完成情况', area('note'))}${upload}`,
        '报告完成',
      ),
    );
  if (may('verifyMilestone'))
    out.push(
      commandForm(
        api,
        'verifyMilestone',
        '里程碑审核通过',
        html`${field('里程碑', numbered('reported'))}${field('审核意见（可不填）', area('note', false))}`,
        '审核通过',
      ),
    );
  if (may('rejectMilestone'))
    out.push(
      commandForm(
        api,
        'rejectMilestone',
        '退回里程碑',
        html`${field('里程碑', numbered('reported'))}${field('退回理由', area('reason'))}`,
        '退回',
      ),
    );
  if (may('pause'))
    out.push(
      commandForm(
        api,
        'pause',
        '挂起任务',
        html`<p class="muted">挂起期间暂停预警、催办等提醒；恢复时截止日期和里程碑按挂起的工作日顺延。</p>
          ${field('挂起理由', area('reason'))}`,
        '挂起',
      ),
    );
  if (may('resume'))
    out.push(
      commandForm(
        api,
        'resume',
        '恢复任务',
        html`<p class="muted">恢复后，截止日期和未完成的里程碑按挂起的工作日顺延。</p>`,
        '恢复',
      ),
    );
  out.push(...changeForms(api, s, today, may));
  if (may('cancel'))
    out.push(commandForm(api, 'cancel', '撤销任务', field('撤销理由', area('reason')), '撤销'));
  // In-department approval: only the 分管领导 the completion waits for is offered the decision.
  const pending = me ? s.internalApproval?.[me] : undefined;
  if (pending && p.person === pending.approver) {
    out.push(
      commandForm(
        api,
        'approveCompletion',
        `审核同意（${pending.person ?? me} 提交：${pending.summary}）`,
        html`<p class="muted">同意后报送督查室审核。</p>`,
        '审核同意',
      ),
    );
    out.push(
      commandForm(api, 'returnCompletion', '退回本单位的办结', field('退回理由', area('reason')), '退回'),
    );
  }
  if (may('instruct'))
    out.push(
      commandForm(
        api,
        'instruct',
        '领导批示',
        html`${field('批示内容', area('text'))}<label
            ><input type="checkbox" name="priority" value="high" /> 列为重点督办</label
          >`,
        '作出批示',
      ),
    );
  return out;
}
