import { COLOR_ZH, type CardRecord, type PublicCard } from '../domain/cards';
import { localTime } from '../domain';
import type { EnterpriseRecord } from '../domain/enterprise';
import { enterpriseForms } from './enterprise-forms';
import { html, type Html } from './html';
import { lightDot, page } from './layout';
import { mayManageEnterprises, type Principal } from './session';

// 红黄牌: the public's lists (/public) and the registry page for the 督查室 and the environment department.

/** One list (yellow or red) as the public sees it: enterprise, card, dates. */
export function publicCardTable(list: PublicCard[], kind: 'red' | 'yellow'): Html {
  if (list.length === 0) return html`<p class="muted">无</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>企业</th>
        <th>统一社会信用代码</th>
        <th>镇街</th>
        <th>行业</th>
        <th>措施</th>
        <th>挂牌日期</th>
        ${kind === 'yellow' ? html`<th>整改期限</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${list.map(
        (c) =>
          html`<tr>
            <td class="nw">${lightDot(kind)}${c.name}</td>
            <td class="nw">${c.code}</td>
            <td class="nw">${c.region}</td>
            <td class="nw">${c.sector}</td>
            <td class="nw">${c.measure}</td>
            <td class="nw">${c.since}</td>
            ${kind === 'yellow' ? html`<td class="nw">${c.due ?? ''}</td>` : ''}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** /enterprises: the forms, every registered enterprise with its open card, and the cards' record. */
export function enterprisesPage(
  p: Principal,
  data: { enterprises: EnterpriseRecord[]; cards: CardRecord[]; department: string },
): string {
  const open = new Map(data.cards.filter((c) => c.status === 'open').map((c) => [c.code, c]));
  const body = html`<p class="muted">
      ${data.department}登记企业、检查并挂牌（黄牌限期整改，逾期或复查不合格升为红牌）；命令行：duban
      enterprise …
    </p>
    ${mayManageEnterprises(p, data.department) ? enterpriseForms(data) : ''}
    <section class="panel" id="ent-list" data-live>
      <h2>企业名录（${data.enterprises.length} 家，挂牌 ${open.size} 家）</h2>
      ${
        data.enterprises.length === 0
          ? html`<p class="muted">尚无登记的企业</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>企业</th>
                  <th>统一社会信用代码</th>
                  <th>镇街</th>
                  <th>行业</th>
                  <th>红黄牌</th>
                  <th>整改期限</th>
                </tr>
              </thead>
              <tbody>
                ${data.enterprises.map((e) => {
                  const c = open.get(e.code);
                  return html`<tr>
                    <td class="nw">${c ? lightDot(c.color) : ''}${e.name}</td>
                    <td class="nw">${e.code}</td>
                    <td class="nw">${e.region}</td>
                    <td class="nw">${e.sector}</td>
                    <td class="nw">${c ? `${COLOR_ZH[c.color]}（${c.measure}）` : '—'}</td>
                    <td class="nw">${c?.color === 'yellow' ? (c.due ?? '') : ''}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
      }
    </section>
    <section class="panel" id="ent-cards" data-live>
      <h2>挂牌记录</h2>
      ${
        data.cards.length === 0
          ? html`<p class="muted">尚无红黄牌</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>企业</th>
                  <th>牌</th>
                  <th>理由</th>
                  <th>挂牌时间</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                ${data.cards.map(
                  (c) =>
                    html`<tr>
                      <td class="nw">${c.name}</td>
                      <td class="nw">${COLOR_ZH[c.color]}（${c.measure}）</td>
                      <td>${c.reason}</td>
                      <td class="nw">${localTime(c.issuedAt)}</td>
                      <td class="nw">
                        ${c.status === 'open' ? '挂牌中' : `已撤销 ${c.liftedAt ? localTime(c.liftedAt) : ''}`}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  return page({ title: '企业红黄牌', principal: p, nav: '/enterprises', body });
}
