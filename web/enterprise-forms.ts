import { CARD_MEASURES, COLOR_ZH, MAX_CARD_TEXT, type CardRecord } from '../domain/cards';
import type { EnterpriseRecord } from '../domain/enterprise';
import { html, type Html } from './html';

// The registry's forms on /enterprises, for the card department and supervisors. Each posts JSON to the
// API (script.ts sends it, the `{code}` in an action taken from the form's field); the API decides again.

const field = (label: string, input: Html) => html`<label>${label}${input}</label>`;
const input = (name: string, required = true, extra: Html | string = '') =>
  html`<input name="${name}" ${required ? html` required` : ''} maxlength="100" ${extra} />`;
const area = (name: string) =>
  html`<textarea name="${name}" required maxlength="${String(MAX_CARD_TEXT)}"></textarea>`;

function form(kind: string, action: string, title: string, fields: Html, button: string): Html {
  return html`<form data-form="${kind}" method="post" action="${action}">
    <h3>${title}</h3>
    ${fields}<button type="submit">${button}</button>
    <div class="form-msg" role="status"></div>
  </form>`;
}

const enterpriseSelect = (list: EnterpriseRecord[]) =>
  html`<select name="code" required>
    ${list.map((e) => html`<option value="${e.code}">${e.name}（${e.code}）</option>`)}
  </select>`;

/** 登记企业, 挂牌 (an enterprise with no open card), 记录检查 (any registered one). */
export function enterpriseForms(data: { enterprises: EnterpriseRecord[]; cards: CardRecord[] }): Html {
  const open = new Set(data.cards.filter((c) => c.status === 'open').map((c) => c.code));
  const uncarded = data.enterprises.filter((e) => !open.has(e.code));
  const measures = (['yellow', 'red'] as const).flatMap((c) =>
    CARD_MEASURES[c].map((m) => html`<option value="${m}">${m}（${COLOR_ZH[c]}）</option>`),
  );
  const out: Html[] = [
    form(
      'enterprise-add',
      '/api/enterprises',
      '登记企业',
      html`${field('企业名称', input('name'))}${field('统一社会信用代码（18 位）', input('code'))}${field('所在镇街', input('region'))}${field('行业', input('sector'))}`,
      '登记',
    ),
  ];
  if (uncarded.length > 0)
    out.push(
      form(
        'enterprise-card',
        '/api/enterprises/{code}/cards',
        '挂牌',
        html`${field('企业', enterpriseSelect(uncarded))}${field(
          '牌',
          html`<select name="color" required>
            <option value="yellow">黄牌（限期整改）</option>
            <option value="red">红牌</option>
          </select>`,
        )}${field(
          '措施（可不选：黄牌停产整治，红牌停业）',
          html`<select name="measure">
            <option value="">（默认）</option>
            ${measures}
          </select>`,
        )}${field('理由', area('reason'))}${field('整改期限（黄牌；可不填，默认按策略）', html`<input type="date" name="due" />`)}${field('所属方案（可不填）', input('plan', false))}`,
        '挂牌',
      ),
    );
  if (data.enterprises.length > 0)
    out.push(
      form(
        'enterprise-inspection',
        '/api/enterprises/{code}/inspections',
        '记录检查',
        html`<p class="muted">有牌的企业复查合格即撤牌；黄牌复查不合格升为红牌。</p>
          ${field('企业', enterpriseSelect(data.enterprises))}${field(
            '结果',
            html`<select name="result" required>
              <option value="pass">合格</option>
              <option value="fail">不合格</option>
            </select>`,
          )}${field('检查情况', area('note'))}`,
        '记录',
      ),
    );
  return html`<section id="ent-forms" data-live>
    <h2>登记、挂牌与检查</h2>
    <div class="actions">${out}</div>
  </section>`;
}
