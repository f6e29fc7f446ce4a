import {
  CLOCK_STATUSES,
  ESCALATION_ZH,
  MILESTONE_STATUS_ZH,
  RUNG_ZH,
  actorZh,
  describeEvent,
  localTime,
  shortId,
  type PlannedRung,
  type RungWhy,
  type TaskEvent,
  type TaskState,
  type TaskSummary,
} from '../domain';
import type { AttachmentRecord, LedgerEntry } from '../store';
import { sizeText } from '../services/attachments';
import { calendarSources, explained } from '../services/task-detail';
import type { Ctx } from './context';
import { html, type Html } from './html';
import { light, page, statusBadge, units } from './layout';
import { LIGHT_ZH, lightOf, stateOf, todayInChina } from './model';
import { visibleEvent } from '../services/visibility';
import type { Principal } from './session';
import { actions } from './task-actions';

type Hidden = { personsHidden?: true; attendeesCount?: number; personsCount?: number };

/** The timeline line, from the event as the principal may see it (services/visibility.ts). */
export function describeFor(event: TaskEvent, p: Principal): string {
  const e = visibleEvent(p, event) as TaskEvent & Hidden;
  if (!e.personsHidden) return describeEvent(e);
  if (e.type === 'InterviewRecorded')
    return `${actorZh(e.by)} 记录约谈：参加 ${e.attendeesCount ?? 0} 人；整改期限 ${e.rectificationDue}${e.provisional ? '（暂定）' : ''}`;
  if (e.type === 'AccountabilityRecorded') return `追责：${e.personsCount ?? 0} 人，移送${e.referral}`;
  return describeEvent(e);
}

async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function facts(t: TaskSummary, s: TaskState, today: string): Html {
  const l = lightOf(t, today);
  const waiting = [...s.spec.lead, ...s.spec.cooperating].filter((d) => !s.acknowledged[d]);
  const iv = s.interview;
  return html`<dl class="facts">
    <dt>状态</dt>
    <dd>
      ${statusBadge(s.status)}
      ${light(t, today)}${LIGHT_ZH[l]}${s.escalation !== 'none' ? html` · <span class="esc">${ESCALATION_ZH[s.escalation]}</span>` : ''}
    </dd>
    <dt>截止日期</dt>
    <dd>${s.due}</dd>
    ${
      s.priority === 'high'
        ? html`<dt>重点督办</dt>
            <dd>领导批示列为重点督办</dd>`
        : ''
    }
    ${(s.instructions ?? []).map(
      (i) =>
        html`<dt>领导批示</dt>
          <dd>${i.text}</dd>`,
    )}
    ${
      s.paused
        ? html`<dt>挂起</dt>
            <dd>
              自
              ${localTime(s.paused.at)}：${s.paused.reason}（督办提醒暂停，恢复后截止日期按挂起的工作日顺延）
            </dd>`
        : ''
    }
    <dt>牵头单位</dt>
    <dd>${units(s.spec.lead)}</dd>
    <dt>配合单位</dt>
    <dd>${units(s.spec.cooperating)}</dd>
    ${
      t.region
        ? html`<dt>镇街</dt>
            <dd>${t.region}</dd>`
        : ''
    }
    <dt>签收</dt>
    <dd>
      已签收：${units(Object.keys(s.acknowledged))}${waiting.length ? html`；<strong>未签收：${units(waiting)}</strong>` : ''}
    </dd>
    ${
      s.submission
        ? html`<dt>办结情况</dt>
            <dd>${s.submission.summary}（${s.submission.by}，${localTime(s.submission.at)}）</dd>`
        : ''
    }
    ${
      s.extensionRequest
        ? html`<dt>延期申请</dt>
            <dd>
              ${s.extensionRequest.by} 申请延期至
              ${s.extensionRequest.to}：${s.extensionRequest.reason}（待督查室决定）
            </dd>`
        : ''
    }
    ${
      iv
        ? html`<dt>约谈</dt>
            <dd>
              第 ${iv.n} 次，${localTime(iv.orderedAt)}
              决定约谈；${iv.scheduled ? `${iv.scheduled.time} 于 ${iv.scheduled.place}；` : '时间地点待定；'}${iv.recorded ? '已记录；' : ''}整改期限
              ${iv.rectificationDue}${iv.provisional ? html` <span class="prov">暂定</span>` : ''}
            </dd>`
        : ''
    }
    ${
      s.restriction
        ? html`<dt>限批</dt>
            <dd>
              ${s.restriction.region}
              ${s.restriction.sector}（${s.restriction.liftedAt ? `已于 ${localTime(s.restriction.liftedAt)} 解除` : '实施中'}）
            </dd>`
        : ''
    }
  </dl>`;
}

/** The milestones, earliest first, with where each stands. */
function milestoneTable(s: TaskState): Html | string {
  if (!s.milestones?.length) return '';
  return html`<section id="task-milestones" data-live class="panel">
    <h2>里程碑</h2>
    <table>
      <thead>
        <tr>
          <th>序号</th>
          <th>日期</th>
          <th>内容</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        ${s.milestones.map(
          (m, i) =>
            html`<tr data-milestone="${String(i + 1)}">
              <td>${String(i + 1)}</td>
              <td class="nw">${m.due}</td>
              <td>${m.title}</td>
              <td>
                ${MILESTONE_STATUS_ZH[m.status]}${m.reported && m.status === 'reported' ? `：${m.reported.note}` : ''}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/** Rungs due together (a reminder to each department at once) as one line naming them all. */
function grouped<R extends PlannedRung>(rungs: R[]): { first: R; departments: string[] }[] {
  const out = new Map<string, { first: R; departments: string[] }>();
  for (const r of rungs) {
    const key = `${r.at}|${r.rung.kind}|${'daysBefore' in r.rung ? r.rung.daysBefore : ''}|${'milestone' in r.rung ? r.rung.milestone : ''}`;
    const g = out.get(key) ?? { first: r, departments: [] };
    if ('department' in r.rung) g.departments.push(r.rung.department);
    out.set(key, g);
  }
  return [...out.values()];
}

/** Why a rung fired or is planned, under its line. */
const whyLine = (why: RungWhy | undefined): Html | string =>
  why ? html`<br /><small class="why muted">${why.text}</small>` : '';

function upcomingList(rungs: (PlannedRung & { why?: RungWhy })[] | undefined, open: boolean): Html {
  if (!open) return html`<p class="muted">任务已结束、已挂起或等待审核，不再提醒。</p>`;
  if (!rungs) return html`<p class="muted">暂时无法读取（流程未响应），稍后刷新。</p>`;
  if (rungs.length === 0) return html`<p class="muted">没有待发的提醒。</p>`;
  const line = ({ first: r, departments }: ReturnType<typeof grouped>[number]) =>
    [
      RUNG_ZH[r.rung.kind],
      departments.length ? ` ${units(departments)}` : '',
      'milestone' in r.rung ? ` 里程碑 ${r.rung.milestone}` : '',
      'daysBefore' in r.rung ? `（到期前 ${r.rung.daysBefore} 天）` : '',
    ].join('');
  return html`<ol class="timeline">
    ${grouped(rungs)
      .slice(0, 10)
      .map(
        (g) =>
          html`<li>
            <span class="t">${localTime(g.first.at)}</span>${line(g)}${
              g.first.provisional
                ? html` <span class="prov" title="该年节假日安排未公布，按周一至周五计算">暂定</span>`
                : ''
            }${whyLine(g.first.why)}
          </li>`,
      )}
  </ol>`;
}

function dueHistory(s: TaskState): Html {
  return html`<table>
    <thead>
      <tr>
        <th>时间</th>
        <th>截止日期</th>
        <th>决定</th>
        <th>理由</th>
      </tr>
    </thead>
    <tbody>
      ${s.dueHistory.map(
        (d) =>
          html`<tr>
            <td class="nw">${localTime(d.at)}</td>
            <td>${d.due}</td>
            <td>${actorZh(d.by)}</td>
            <td>${d.reason}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The files an event carried, each a download link (the hash stands in for a name the store lacks). */
function fileLinks(e: TaskEvent, files: Map<string, AttachmentRecord>): Html | string {
  const hashes = 'attachments' in e ? (e.attachments ?? []) : [];
  if (hashes.length === 0) return '';
  return html`<ul class="files">
    ${hashes.map((h) => {
      const f = files.get(h);
      return html`<li>
        <a href="/api/attachments/${h}" download>${f?.name ?? `${h.slice(0, 12)}…`}</a>${
          f ? html` <span class="muted">${sizeText(f.size)}</span>` : ''
        }
      </li>`;
    })}
  </ul>`;
}

export type TaskPageResult = { status: 200 | 404; html: string };

export async function taskPage(ctx: Ctx, principal: Principal, workflowId: string): Promise<TaskPageResult> {
  const today = todayInChina();
  const summary = await ctx.facade.summary(workflowId);
  const ledger: LedgerEntry[] = summary ? await ctx.facade.ledger(workflowId) : [];
  const state = stateOf(ledger.map((e) => e.event));
  if (!summary || !state)
    return {
      status: 404,
      html: page({
        title: '没有这项任务',
        principal,
        body: html`<p>没有找到任务 ${shortId(workflowId)}。<a href="/tasks">返回任务列表</a></p>`,
      }),
    };
  // Only a running clock has rungs ahead; a submission waiting for the supervisor holds them.
  const open = CLOCK_STATUSES.includes(state.status);
  const ahead = open ? await within(ctx.facade.upcoming(workflowId), ctx.queryTimeoutMs) : [];
  const years = ctx.store.calendarYears && (() => ctx.store.calendarYears!());
  const why = explained(ledger, ahead ?? null, state, await calendarSources(years));
  const upcoming = ahead && (why.upcoming ?? undefined);
  const forms = actions(principal, summary, state, today, ctx.attachments !== undefined);
  const files = new Map(
    (ctx.attachments ? await ctx.attachments.forTask(workflowId) : []).map((a) => [a.sha256, a]),
  );
  const body = html` <p class="muted">${shortId(workflowId)}</p>
    <section id="task-head" data-live class="panel">${facts(summary, state, today)}</section>
    ${
      state.spec.text
        ? html`<section class="panel">
            <h2>任务内容</h2>
            <p>${state.spec.text}</p>
          </section>`
        : ''
    }
    ${milestoneTable(state)}
    <section id="task-actions" data-live>
      ${
        forms.length
          ? html`<h2>可办理的操作</h2>
              <div class="actions">${forms}</div>`
          : ''
      }
    </section>
    <div class="grid2">
      <section id="task-timeline" data-live class="panel">
        <h2>办理记录（${ledger.length} 条）</h2>
        <ol class="timeline">
          ${why.ledger.map((e) => html`<li data-seq="${e.seq}"><span class="t">${localTime(e.at)}</span>${describeFor(e.event, principal)}${fileLinks(e.event, files)}${whyLine(e.why)}</li>`)}
        </ol>
      </section>
      <div>
        <section id="task-upcoming" data-live class="panel">
          <h2>后续节点</h2>
          ${upcomingList(upcoming, open)}
        </section>
        <section id="task-due" data-live class="panel">
          <h2>截止日期变更</h2>
          ${dueHistory(state)}
        </section>
      </div>
    </div>`;
  return { status: 200, html: page({ title: state.spec.title, principal, watch: workflowId, body }) };
}
