/** The office formats over HTTP: the 督查通报 for supervisors and leadership, the task list as .xlsx. */
import ExcelJS from 'exceljs';
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { docxParagraphs } from '../helpers/office';
import type { Ctx } from '../../web/context';
import type { Principal } from '../../web/session';
import { taskListPage } from '../../web/task-list';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store, today: () => '2027-03-01' });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const get = (url: string, token?: string) =>
  fetch(api.base + url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function sheet(r: Response): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ExcelJS.Buffer);
  return wb.getWorksheet('任务台账')!;
}

describe('GET /api/tasks/export.xlsx', () => {
  it('holds the tasks the list’s filters find, one row each, as the list shows them', async () => {
    const r = await get(`/api/tasks/export.xlsx?plan=${PLAN}&department=区环保局`, tokens.dept);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(r.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('督办任务台账-2027-03-01.xlsx')}`,
    );
    const ws = await sheet(r);
    expect(ws.getCell('A1').value).toBe(`督办任务台账（方案 ${PLAN}，区环保局，截至 2027-03-01）`);
    expect(ws.getRow(2).getCell(4).value).toBe('任务');
    // 区环保局 leads 2-1-1 and cooperates on 2-1-2, which is overdue since 2026-12-31.
    const rows = [3, 4].map((n) => ws.getRow(n));
    expect(rows.map((r) => r.getCell(2).value)).toEqual([`${PLAN}/2-1-2`, `${PLAN}/2-1-1`]);
    expect(rows[0].getCell(4).value).toBe('依法淘汰落后产能');
    expect(rows[0].getCell(5).value).toBe('区经信局');
    expect(rows[0].getCell(8).value).toBe('待签收');
    expect(rows[0].getCell(10).value).toBe(60);
    expect(rows[1].getCell(10).value).toBeNull();
    expect(ws.getRow(5).getCell(2).value).toBeNull();
  });

  it('refuses the anonymous and a bad filter as the list does', async () => {
    expect((await get('/api/tasks/export.xlsx')).status).toBe(401);
    const bad = await get('/api/tasks/export.xlsx?status=done', tokens.supervisor);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('status');
  });
});

describe('GET /api/bulletin', () => {
  it('gives supervisors and leadership the bulletin as .docx', async () => {
    for (const role of ['supervisor', 'leadership'] as const) {
      const r = await get(`/api/bulletin?plan=${PLAN}&period=2027-02`, tokens[role]);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-disposition')).toContain(
        encodeURIComponent(`督查通报-${PLAN}-2027-02.docx`),
      );
      const paragraphs = await docxParagraphs(Buffer.from(await r.arrayBuffer()));
      expect(paragraphs[0]).toBe('督查通报');
      expect(paragraphs).toContain('（2027年2月）');
      expect(paragraphs.find((p) => p.startsWith('对以下单位'))).toBe(
        '对以下单位予以通报批评，请限期整改：区经信局（逾期未办结 1 项）。',
      );
    }
  });

  it('answers a PDF on request', async () => {
    const r = await get(`/api/bulletin?plan=${PLAN}&format=pdf`, tokens.leadership);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await r.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('refuses departments (403), the anonymous (401), and a period it cannot read (400)', async () => {
    const dept = await get(`/api/bulletin?plan=${PLAN}`, tokens.dept);
    expect(dept.status).toBe(403);
    expect(await dept.text()).toContain('仅供督查室和区领导');
    expect((await get(`/api/bulletin?plan=${PLAN}`)).status).toBe(401);
    const bad = await get(`/api/bulletin?plan=${PLAN}&period=March`, tokens.supervisor);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('统计期应为月份（2027-03）');
    const fmt = await get(`/api/bulletin?plan=${PLAN}&format=odt`, tokens.supervisor);
    expect(fmt.status).toBe(400);
  });
});

describe('the task list page’s export button', () => {
  it('downloads the rows the list shows, with its filters', async () => {
    const ctx = { facade: fx.facade, plans: () => new Map() } as unknown as Ctx;
    const principal: Principal = { role: 'supervisor', name: 'sup' };
    const page = await taskListPage(ctx, principal, { department: '区环保局', status: 'assigned' });
    const shown = [...page.matchAll(/<tr data-wf="task\/([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual([`${PLAN}/2-1-2`]);
    const href = /<a id="export-xlsx" href="([^"]+)"/.exec(page)![1].replace(/&amp;/g, '&');
    expect(href).toBe(`/api/tasks/export.xlsx?department=${encodeURIComponent('区环保局')}&status=assigned`);
    const ws = await sheet(await get(href, tokens.supervisor));
    const ids = [];
    for (let r = 3; ws.getRow(r).getCell(2).value; r++) ids.push(ws.getRow(r).getCell(2).value);
    expect(ids).toEqual(shown);
  });
});
