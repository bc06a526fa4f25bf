import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../domain/idnumber';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import {
  caseCalls,
  createCase,
  type Made,
  OTHER_TOWNSHIP,
  rosteredSince,
  today,
  zhMonth,
} from '../helpers/e2e-cases';
import { COUNTY, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// R-A7 / R-M9: the printable notice, end to end — a case's reduction and stop decided by staff
// through the API (dev server, worker, real activities), the PDF read back with poppler's pdftotext,
// page 1 rendered to test-output/ for a person to look at.

const OUT = join(process.cwd(), 'test-output');
let env: ApiEnv;
const township = () => env.as('township_staff', TOWNSHIP);

beforeAll(async () => {
  env = await startApiEnv();
  mkdirSync(OUT, { recursive: true });
}, 60_000);
afterAll(async () => {
  await env?.stop();
});

/**
 * A data-comparison hit opens a check on the case; staff decide it (R-M6, R-A11). Answers the notice
 * and the months the case had rostered from `result.fromMonth` when it applied the decision.
 */
async function decide(
  made: Made,
  hitId: string,
  result: Record<string, string>,
): Promise<{ noticeId: string; recovered: string[] }> {
  const { post, taskOf } = caseCalls(env);
  const hit = { hitId, idNumber: made.ids[0], kind: 'police_deregistration', detectedOn: today() };
  const sent = await post(
    '/v1/integrations/comparison-hits',
    { ...env.as('integration', TOWNSHIP), 'idempotency-key': `hit-${hitId}` },
    { hits: [{ ...hit, source: 'police', details: 'moved away' }] },
  );
  expect(sent.statusCode).toBe(202);
  await taskOf(made.caseId, (t) => t.taskId === `check-${hitId}`);
  const res = await post(`/v1/cases/${made.caseId}/reviews/check-${hitId}`, township(), result);
  expect(res.statusCode).toBe(200);
  // R-M1: whether this month was already rostered depends on the day; the case's answer says.
  const recovered = rosteredSince(res.json(), result.fromMonth!);
  expect(recovered[0]).toBe(result.fromMonth);
  const noticeId = await until(async () => {
    const { rows } = await env.pool.query('SELECT notice_id FROM notices WHERE subject_id = $1', [
      made.caseId,
    ]);
    return rows[0]?.notice_id as string | undefined;
  }, `the notice of ${made.caseId}`);
  return { noticeId, recovered };
}

/** 387.60 × 2 = 775.20: the amount of `months` months at `perMonth`, exact to the fen. */
const times = (perMonth: string, months: string[]) =>
  ((Math.round(Number(perMonth) * 100) * months.length) / 100).toFixed(2);

async function pdfOf(noticeId: string, file: string): Promise<string> {
  const res = await env.api.inject({
    url: `/v1/notices/${encodeURIComponent(noticeId)}.pdf`,
    headers: township(),
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  const path = join(OUT, file);
  writeFileSync(path, res.rawPayload);
  return path;
}

const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
const compact = (s: string) => s.replace(/\s+/g, '');

describe('printable notices (R-A7, R-M9)', () => {
  it('R-M9: a reduction prints as an A4 PDF in Chinese with the reasons, the amounts and months, the masked ID and the appeal route', async () => {
    const made = await createCase(env, VILLAGE, 2);
    const last = made.startMonth;
    const reasons = '入户核查：家庭成员务工收入增加，月人均收入上升';
    const { noticeId, recovered } = await decide(made, `r-${made.caseId}`, {
      outcome: 'adjust',
      monthlyAmount: '612.40',
      fromMonth: last,
      reasons,
    });
    const pdf = await pdfOf(noticeId, 'notice-reduction.pdf');
    const t = compact(text(pdf));
    expect(t).toContain(compact(reasons));
    expect(t).toContain('运城市盐湖区民政局');
    expect(t).toContain('山西省运城市盐湖区龙居镇长乐村委会');
    expect(t).toContain('由1000.00元调整为612.40元');
    // Every rostered month from the reduction's month on is recovered: 387.60 each.
    expect(t).toContain(
      `应退回（从以后发放中抵扣）：${times('387.60', recovered)}元（${recovered.map(zhMonth).join('、')}）`,
    );
    expect(t).toContain(zhMonth(last));
    // A citizen's notice cites the regulation and its article, never the rulebook's ids.
    expect(t).toContain('依据《社会救助暂行办法》第十三条');
    expect(t).toContain('《社会救助暂行办法》第六十五条');
    expect(t).not.toMatch(/R-[A-Z]\d/);
    expect(t).toContain('60日内向盐湖区人民政府申请行政复议');
    expect(t).toContain('6个月内依法向人民法院提起行政诉讼');
    // R-O7: the head's name as recorded, the ID number masked and never in clear.
    expect(t).toContain('张三');
    expect(t).toContain(maskIdNumber(made.ids[0]!));
    expect(t).not.toContain(made.ids[0]);
    // A4 (595 × 842 pt), one page, the CJK font embedded as a subset (ABCDEF+ prefix).
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595\.28 x 841\.89/);
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSerifCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdf, join(OUT, 'notice-page1')]);
  });

  it('R-M9: a stop prints the month the payments stop from and what is recovered for which months', async () => {
    const made = await createCase(env, VILLAGE, 1);
    const last = made.startMonth;
    const reasons = '核查发现已在外地稳定就业，家庭人均收入高于当地低保标准';
    const { noticeId, recovered } = await decide(made, `s-${made.caseId}`, {
      outcome: 'stop',
      fromMonth: last,
      reasons,
    });
    const t = compact(text(await pdfOf(noticeId, 'notice-stop.pdf')));
    expect(t).toContain('最低生活保障停止保障通知书');
    expect(t).toContain(compact(reasons));
    expect(t).toContain(`停发月份：自${zhMonth(last)}起`);
    expect(t).toContain(
      `应退回（从以后发放中抵扣）：${times('1000.00', recovered)}元（${recovered.map(zhMonth).join('、')}）`,
    );
    expect(t).toContain('核查后不再符合条件');
  });

  it("R-A7: a rejection names the application's head as recorded; a kind this printer does not know prints from its recorded fields", async () => {
    const appId = `A${COUNTY}20260105DOCS${Date.now()}`;
    const id = idNumber();
    await env.pool.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by) VALUES ($1,'extreme_poverty',$2,$3,$4,'2026-01-05',false,false,'rejected','e2e')`,
      [appId, VILLAGE, TOWNSHIP, COUNTY],
    );
    await env.pool.query(
      `INSERT INTO application_members (application_id, id_number, name, relation) VALUES ($1,$2,'李四','applicant')`,
      [appId, id],
    );
    const insert = (noticeId: string, kind: string, reasons: string) =>
      env.pool.query(
        `INSERT INTO notices (notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on,
           decided_by, due_on) VALUES ($1,$2,'application',$3,$4,'李四',$5,'2026-02-10','county-1','2026-02-13')`,
        [noticeId, kind, appId, VILLAGE, reasons],
      );
    await insert(
      `N-${appId}-rejection`,
      'rejection',
      '家庭成员有赡养能力的子女，经核算月人均收入超过特困供养标准',
    );
    await insert(`N-${appId}-warning`, 'warning', '未在三个月内主动报告家庭收入的重大变化');

    const rejected = compact(text(await pdfOf(`N-${appId}-rejection`, 'notice-rejection.pdf')));
    expect(rejected).toContain('特困人员救助供养不予批准通知书');
    expect(rejected).toContain('李四');
    expect(rejected).toContain(maskIdNumber(id));
    expect(rejected).not.toContain(id);
    expect(rejected).toContain('经核算月人均收入超过特困供养标准');
    expect(rejected).toContain('《特困人员认定办法》');
    expect(rejected).toContain('《社会救助暂行办法》第十四条、第十六条');
    expect(rejected).not.toMatch(/R-[A-Z]\d/);
    expect(rejected).toContain('书面告知期限：2026年2月13日');
    expect(rejected).toContain('2026年2月10日决定');

    await env.pool.query(`UPDATE notices SET details = $2 WHERE notice_id = $1`, [
      `N-${appId}-warning`,
      JSON.stringify({ warnedFor: '收入变化', months: ['2025-11', '2025-12'] }),
    ]);
    const generic = compact(text(await pdfOf(`N-${appId}-warning`, 'notice-generic.pdf')));
    expect(generic).toContain('书面通知（warning）');
    expect(generic).toContain('未在三个月内主动报告家庭收入的重大变化');
    expect(generic).toContain('申请行政复议');
    expect(generic).toContain('warnedFor：收入变化');
    expect(generic).toContain('涉及月份：2025年11月、2025年12月');
  });

  it('R-M10: a repayment demand prints the amount to repay and its months from the recorded details', async () => {
    const made = await createCase(env, VILLAGE, 1);
    await env.pool.query(
      `INSERT INTO notices (notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on,
         decided_by, details) VALUES ($1,'repayment_demand','case',$2,$3,'张三',$4,'2026-03-04','county-1',$5)`,
      [
        `N-demand-${made.caseId}`,
        made.caseId,
        VILLAGE,
        '保障已停止，多领取的保障金无法从以后的发放中抵扣',
        JSON.stringify({ demandId: 'D-1', amount: '2000.00', months: ['2026-01', '2026-02'] }),
      ],
    );
    const t = compact(text(await pdfOf(`N-demand-${made.caseId}`, 'notice-repayment-demand.pdf')));
    expect(t).toContain('最低生活保障责令退回通知书');
    expect(t).toContain('责令退回金额：2000.00元');
    expect(t).toContain('涉及月份：2026年1月、2026年2月');
    expect(t).toContain('依据《社会救助暂行办法》第十三条');
    expect(t).not.toMatch(/R-[A-Z]\d/);
    expect(t).toContain('多领取的保障金无法从以后的发放中抵扣');
  });

  it('R-O7: the PDF is refused without a token (401), out of region like an unknown notice (404), and to integrations (403)', async () => {
    const { rows } = await env.pool.query('SELECT notice_id FROM notices LIMIT 1');
    const url = `/v1/notices/${encodeURIComponent(rows[0].notice_id)}.pdf`;
    expect((await env.api.inject({ url })).statusCode).toBe(401);
    const outside = await env.api.inject({ url, headers: env.as('township_staff', OTHER_TOWNSHIP) });
    expect(outside.statusCode).toBe(404);
    expect(outside.headers['content-type']).toContain('application/problem+json');
    expect((await env.api.inject({ url: '/v1/notices/N-none.pdf', headers: township() })).statusCode).toBe(
      404,
    );
    expect((await env.api.inject({ url, headers: env.as('integration', TOWNSHIP) })).statusCode).toBe(403);
    // The JSON notice is still where it was.
    const json = await env.api.inject({ url: url.replace(/\.pdf$/, ''), headers: township() });
    expect(json.statusCode).toBe(200);
    expect(json.json().noticeId).toBe(rows[0].notice_id);
  });
});
