import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonthsToYearMonth, civilDateOf, monthOf } from '../../domain/dates';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, household } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// The supervisor's page (GET /dashboard; R-O3, R-A6) in Debian's Chromium driven by
// playwright-core: applications received through the API (paper intakes entered late, so the
// workflows flag them at once), a login through the page's form, and every number on the page
// compared with the API's own answer; then the drill-down into an item's deadlines and history.

const OUT = join(import.meta.dirname, '..', '..', 'test-output');
const T1 = '140802101';
const T2 = '140802102';
let env: ApiEnv;
let base: string;
let browser: Browser;
const problems: string[] = [];

async function receive(village: string, daysAgo: number, key: string) {
  const res = await env.api.inject({
    method: 'POST',
    url: '/v1/applications',
    headers: { ...env.as('township_staff', village.slice(0, 9)), 'idempotency-key': key },
    payload: {
      category: 'dibao',
      villageCode: village,
      acceptedOn: addDays(civilDateOf(new Date()), -daysAgo),
      delegated: false,
      closeRelative: false,
      household: household(),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().applicationId as string;
}

beforeAll(async () => {
  env = await startApiEnv({});
  await seedPolicy(env.pool, COUNTY);
  const ids: string[] = [];
  let n = 0;
  for (const [village, daysAgo] of [
    [`${T1}201`, 300],
    [`${T1}202`, 120],
    [`${T1}201`, 41],
    [`${T2}201`, 200],
    [`${T2}201`, 40],
  ] as const)
    ids.push(await receive(village, daysAgo, `dashboard-${process.pid}-${n++}`));
  // The workflows write their flags into the read model: wait until every one is saved.
  await until(async () => {
    const { rows } = await env.pool.query(
      'SELECT count(*)::int AS n FROM applications WHERE application_id = ANY($1) AND (at_risk OR overdue)',
      [ids],
    );
    return rows[0].n >= 3;
  }, 'flags in the read model');
  // R-A6: a decision needs the 7-day publicity, which the dev server cannot skip: two decided
  // applications are written into the read model as the workflow's save would.
  const last = addMonthsToYearMonth(monthOf(civilDateOf(new Date())), -1);
  await env.pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, overall_deadline, decided_on)
     VALUES ('D-1', 'dibao', $1, $2, $3, $4, false, false, 'approved', 'seed', $5, $5),
            ('D-2', 'dibao', $1, $2, $3, $4, false, false, 'rejected', 'seed', $5, $6)`,
    [`${T1}201`, T1, COUNTY, `${last}-01`, `${last}-12`, `${last}-20`],
  );
  base = await env.api.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

let signed: string | undefined;
/** One token for the whole file (each signing has its own iat). */
const token = () => {
  signed ??= env.as('supervisor', COUNTY, 'supervisor-dashboard').authorization.slice('Bearer '.length);
  return signed;
};
const apiGet = async (url: string) =>
  (await env.api.inject({ url, headers: env.as('supervisor', COUNTY, 'supervisor-dashboard') })).json();

async function openLoggedIn(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/dashboard`);
  await page.fill('#token', token());
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
  return page;
}

describe('the supervisor dashboard in a browser', () => {
  it('R-O3 R-A6: after logging in through the form, the counts, SLA months and overdue list are the API’s, and a row drills down to the deadlines and history', async () => {
    const page = await openLoggedIn();
    expect(page.url()).toBe(`${base}/dashboard`); // the token never goes into a URL
    expect(await page.evaluate("sessionStorage.getItem('dibao.dashboard.token')")).toBe(token());

    const summary = await apiGet('/v1/supervision/summary');
    expect(summary.totals.overdue).toBeGreaterThan(0);
    expect(await page.textContent('#total-overdue')).toBe(String(summary.totals.overdue));
    expect(await page.textContent('#total-at-risk')).toBe(String(summary.totals.atRisk));
    for (const r of summary.rows) {
      const cell = page.locator(`#summary td[data-place="${r.townshipCode}"][data-kind="${r.kind}"]`);
      expect(await cell.getAttribute('data-overdue')).toBe(String(r.overdue));
      expect(await cell.getAttribute('data-at-risk')).toBe(String(r.atRisk));
      expect(await cell.textContent()).toBe(`逾期 ${r.overdue} · 临期 ${r.atRisk}`);
      // Townships by name (GB/T 2260) with their code.
      if (r.townshipCode)
        expect(await page.textContent(`#summary td[data-code="${r.townshipCode}"]`)).toBe(
          `${r.townshipName} ${r.townshipCode}`,
        );
    }

    const sla = await apiGet('/v1/supervision/sla?months=12');
    const shown = await page.$$eval('#sla tbody tr', (rows) =>
      rows.map((r) => [
        r.getAttribute('data-month'),
        r.getAttribute('data-decided'),
        r.getAttribute('data-on-time'),
      ]),
    );
    expect(shown).toEqual(
      sla.months.map((m: { month: string; decided: number; onTime: number }) => [
        m.month,
        String(m.decided),
        String(m.onTime),
      ]),
    );
    expect(sla.months.at(-2)).toMatchObject({ decided: 2, onTime: 1 });
    expect(await page.$$eval('#sla-chart', (c) => Number(c[0]?.getAttribute('width')))).toBeGreaterThan(0);

    const list = await apiGet('/v1/supervision/overdue?limit=20&flag=any');
    const rows = await page.$$eval('#overdue tbody tr', (trs) =>
      trs.map((t) => t.getAttribute('data-subject')),
    );
    expect(rows).toEqual(list.items.map((i: { subjectId: string }) => i.subjectId));
    expect(await page.textContent('#spot-checks')).toBeTruthy();
    expect(await page.textContent('#complaints')).toBeTruthy();

    // Drill-down: the first (most urgent) item's deadlines and history, as GET /v1/applications/{id} has them.
    const first = list.items[0];
    await page.click('#overdue tbody tr:first-child');
    await page.waitForSelector('#detail-stage');
    const view = await apiGet(`/v1/applications/${first.subjectId}`);
    expect(await page.textContent('#detail-title')).toContain(first.subjectId);
    expect(await page.textContent('#detail-stage')).toContain(view.stage);
    expect(await page.locator('#detail-body table').first().locator('tbody tr').count()).toBe(
      view.deadlines.length,
    );
    expect(await page.locator('#detail-body table').nth(1).locator('tbody tr').count()).toBe(
      view.history.length,
    );

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true });
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]); // no CSP refusal, no script error
    await page.close();
  }, 120_000);

  it('R-O3: the filter by township narrows the list to the API’s answer; logging out forgets the token', async () => {
    const page = await openLoggedIn();
    await page.selectOption('#f-township', T2);
    await page.click('#filters button[type=submit]');
    const list = await apiGet(`/v1/supervision/overdue?limit=20&flag=any&township=${T2}`);
    // Polled from the test, not by page.waitForFunction: its string predicate is evaluated in the
    // page, which the page's CSP (script-src 'self', no eval) refuses.
    await expect
      .poll(() => page.$$eval('#overdue tbody tr', (trs) => trs.length), { timeout: 15_000 })
      .toBe(list.items.length);
    const rows = await page.$$eval('#overdue tbody tr', (trs) =>
      trs.map((t) => t.getAttribute('data-subject')),
    );
    expect(rows).toEqual(list.items.map((i: { subjectId: string }) => i.subjectId));
    await page.click('#logout');
    expect(await page.evaluate("sessionStorage.getItem('dibao.dashboard.token')")).toBeNull();
    expect(await page.isVisible('#login-form')).toBe(true);
    await page.close();
  }, 120_000);
});
