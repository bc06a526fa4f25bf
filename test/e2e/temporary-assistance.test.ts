import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf, monthOf } from '../../domain/dates';
import { maskIdNumber } from '../../domain/idnumber';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedCase } from '../helpers/seed';
import { spawnWorker } from '../helpers/worker-process';

// R-A10 end to end through the HTTP API (dev server, worker, real activities and Postgres): the
// county's limits, a receipt where the hardship happened, the township's or the county's decision,
// the payment once through the ledger and its own bank line, the bank's result, the documentation,
// the printed decision — and paid once when the worker dies during the payment.

const OUT = join(process.cwd(), 'test-output');
let env: ApiEnv;
const today = () => civilDateOf(new Date());
const township = () => env.as('township_staff', TOWNSHIP);
const county = () => env.as('county_staff', COUNTY);
const post = (url: string, headers: Record<string, string>, payload: object, key = `k-${Math.random()}`) =>
  env.api.inject({ method: 'POST', url, headers: { ...headers, 'idempotency-key': key }, payload });
const get = async (id: string) =>
  (
    await env.api.inject({ url: `/v1/temporary-assistance/${id}`, headers: env.as('supervisor', '14') })
  ).json();
const count = async (sql: string, params: unknown[]) =>
  (await env.pool.query(sql, params)).rows[0].n as number;

beforeAll(async () => {
  env = await startApiEnv();
  mkdirSync(OUT, { recursive: true });
  const limits = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/temporary-assistance-limits',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      perGrant: '1000',
      perHouseholdYear: '2500.00',
    },
  });
  expect(limits.statusCode).toBe(200);
  expect(limits.json()).toMatchObject({ version: `${COUNTY}-2020-01-01-ta1`, unchanged: false });
}, 60_000);
afterAll(async () => {
  await env?.stop();
});

const receipt = (over: Record<string, unknown> = {}) => ({
  villageCode: VILLAGE,
  residence: 'rural',
  person: { name: '王五', idNumber: idNumber('1975-04-04') },
  household: [{ name: '王小五', idNumber: idNumber('2012-08-08'), relation: 'child' }],
  hardshipKind: 'illness',
  hardship: '突发脑出血住院，家庭无力支付生活费用',
  occurredOn: today(),
  amountAsked: '900.00',
  receivedOn: today(),
  ...over,
});

async function receive(over: Record<string, unknown> = {}) {
  const res = await post('/v1/temporary-assistance', township(), receipt(over));
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** The main loop pays and issues the notice after the decision has answered. */
const paidAndNoticed = (id: string) =>
  until(async () => {
    const v = await get(id);
    return v.payment && v.noticeId ? v : undefined;
  }, `the payment and notice of ${id}`);

describe('temporary assistance through the API (R-A10)', () => {
  it('R-A10 R-A1: a member of a case in benefit asks; the township grants within its limit, pays once through the ledger and a bank line, documents it; the bank pays: closed', async () => {
    // R-A1 does not apply: a person a case in benefit holds may ask.
    const { members } = await seedCase(env.pool, { caseId: `TA-CASE-${Date.now()}`, villageCode: VILLAGE });
    await env.pool.query(
      `INSERT INTO person_enrolments (id_number, holder_kind, holder_id) VALUES ($1, 'case', 'TA-CASE')`,
      [members[0]!.idNumber],
    );
    const asked = await receive({ person: { name: members[0]!.name, idNumber: members[0]!.idNumber } });
    expect(asked).toMatchObject({
      stage: 'received',
      limits: { perGrant: '1000.00' },
      source: { kind: 'staff' },
    });
    const id = asked.assistanceId as string;
    expect(id).toMatch(/^T140802\d{8}[0-9A-F]{12}$/);

    const key = `decide-${id}`;
    const decided = await post(
      `/v1/temporary-assistance/${id}/decision`,
      township(),
      {
        approve: true,
        amount: '900.00',
        reasons: '突发重大疾病，基本生活暂时出现严重困难',
      },
      key,
    );
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      stage: 'granted',
      decision: { level: 'township', amount: '900.00' },
    });
    const v = await paidAndNoticed(id);
    expect(v.payment).toMatchObject({ lineId: `${id}:grant`, status: 'sent', month: monthOf(today()) });
    // Once, through the ledger (its own line of the statistics, R-O5) and the bank line.
    const ledger = await env.pool.query('SELECT * FROM ledger WHERE case_id = $1', [id]);
    expect(ledger.rows).toMatchObject([
      {
        kind: 'temporary_grant',
        category: 'temporary_assistance',
        amount: '900.00',
        status: 'sent',
        persons: 2,
      },
    ]);
    expect(await count('SELECT count(*)::int AS n FROM payment_lines WHERE payroll_id = $1', [id])).toBe(1);
    const file = join(env.paymentFilesDir, v.payment.fileName);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`${id}:grant,${members[0]!.idNumber},`);
    // The same decision again (same key) is the first answer; a second decision is refused.
    const again = await post(
      `/v1/temporary-assistance/${id}/decision`,
      township(),
      {
        approve: true,
        amount: '900.00',
        reasons: '突发重大疾病，基本生活暂时出现严重困难',
      },
      key,
    );
    expect(again.statusCode).toBe(200);
    const twice = await post(`/v1/temporary-assistance/${id}/decision`, township(), {
      approve: true,
      amount: '100.00',
      reasons: 'again',
    });
    expect(twice.statusCode).toBe(409);

    const result = { resultId: `bank-${id}`, outcome: 'paid', reportedAt: new Date().toISOString() };
    const paid = await post(`/v1/temporary-assistance/${id}/payment-result`, county(), result);
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ stage: 'granted', payment: { status: 'paid' } });
    const dup = await post(`/v1/temporary-assistance/${id}/payment-result`, county(), result);
    expect(dup.json().payment.result.resultId).toBe(result.resultId);
    expect(
      await count(`SELECT count(*)::int AS n FROM ledger WHERE case_id = $1 AND status = 'paid'`, [id]),
    ).toBe(1);

    const documented = await post(`/v1/temporary-assistance/${id}/documentation`, township(), {
      documentedOn: today(),
      summary: '补充医院诊断证明和住院费用清单',
      documents: ['诊断证明', '住院费用清单'],
    });
    expect(documented.statusCode).toBe(200);
    expect(documented.json()).toMatchObject({ stage: 'closed', documentation: { late: false } });
    // R-M1: closed, it still takes the bank's later return of the money (never lost), raised to supervisors.
    const late = await post(`/v1/temporary-assistance/${id}/payment-result`, county(), {
      resultId: `bank-late-${id}`,
      outcome: 'returned',
      reason: 'payee deceased',
      reportedAt: new Date().toISOString(),
    });
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ stage: 'closed', payment: { status: 'returned' } });
    expect(
      await count(`SELECT count(*)::int AS n FROM ledger WHERE case_id = $1 AND status = 'returned'`, [id]),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM supervision_alerts WHERE subject_id = $1 AND deadline_kind = 'payment_returned'`,
        [id],
      ),
    ).toBe(1);
    // R-O6 R-O7: every step audited, never with the person.
    const audit = await env.pool.query(
      `SELECT action, payload::text FROM audit_events WHERE subject_kind = 'temporary_assistance' AND subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'received',
        'granted',
        'payment_sent',
        'notice_issued',
        'payment_paid',
        'documented',
        'closed',
        'read', // R-O7: the supervisor's reads of the request, each audited
      ]),
    );
    expect(JSON.stringify(audit.rows)).not.toContain(members[0]!.idNumber);
  }, 60_000);

  it('R-A10: the written decision prints the grant, the township as issuer, the regulations (no rule ids), the masked ID and the appeal route', async () => {
    const asked = await receive();
    const id = asked.assistanceId as string;
    await post(`/v1/temporary-assistance/${id}/decision`, township(), {
      approve: true,
      amount: '600.00',
      reasons: '突发重大疾病，先行救助',
    });
    const v = await paidAndNoticed(id);
    const res = await env.api.inject({
      url: `/v1/notices/${encodeURIComponent(v.noticeId)}.pdf`,
      headers: township(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const path = join(OUT, 'notice-temporary-assistance.pdf');
    writeFileSync(path, res.rawPayload);
    const t = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(t).toContain('临时救助决定书');
    expect(t).toContain('龙居镇人民政府');
    expect(t).toContain('给予临时救助金600.00元，一次性发放');
    expect(t).toContain('突发重大疾病');
    expect(t).toContain('《社会救助暂行办法》第四十七条至第五十条');
    expect(t).toContain('国发〔2014〕47号');
    expect(t).toContain('60日内向盐湖区人民政府申请行政复议');
    expect(t).toContain('6个月内依法向人民法院提起行政诉讼');
    expect(t).not.toMatch(/R-[A-Z]\d/);
    expect(t).toContain(maskIdNumber(asked.members[0].idNumber));
    expect(t).not.toContain(asked.members[0].idNumber);
  }, 60_000);

  it('R-A10: repeated grants to one household within the year respect the yearly limit: 403 for the township, the county decides, nothing to document', async () => {
    const person = { name: '赵六', idNumber: idNumber('1968-01-01') };
    const first = await receive({ person, household: [], amountAsked: '1000.00' });
    expect(
      (
        await post(`/v1/temporary-assistance/${first.assistanceId}/decision`, township(), {
          approve: true,
          amount: '1000.00',
          reasons: '火灾',
        })
      ).statusCode,
    ).toBe(200);
    const second = await receive({ person, household: [], amountAsked: '1000.00' });
    expect(
      (
        await post(`/v1/temporary-assistance/${second.assistanceId}/decision`, township(), {
          approve: true,
          amount: '1000.00',
          reasons: '火灾后续',
        })
      ).statusCode,
    ).toBe(200);
    // A third request of a household member: 2000.00 granted, 2500.00 a year.
    const third = await receive({ household: [{ ...person, relation: 'spouse' }], amountAsked: '800.00' });
    const over = await post(`/v1/temporary-assistance/${third.assistanceId}/decision`, township(), {
      approve: true,
      amount: '800.00',
      reasons: '冬季取暖',
    });
    expect(over.statusCode).toBe(403);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json().detail).toMatch(/granted 2000.00 this year.*the county decides/);
    expect(over.json().detail).not.toContain(person.idNumber);
    const aboveGrant = await post(`/v1/temporary-assistance/${third.assistanceId}/decision`, township(), {
      approve: true,
      amount: '1000.01',
      reasons: '冬季取暖',
    });
    expect(aboveGrant.statusCode).toBe(403);
    expect((await get(third.assistanceId)).stage).toBe('received');
    const byCounty = await post(`/v1/temporary-assistance/${third.assistanceId}/decision`, county(), {
      approve: true,
      amount: '800.00',
      reasons: '冬季取暖，县级审批',
    });
    expect(byCounty.statusCode).toBe(200);
    expect(byCounty.json()).toMatchObject({ decision: { level: 'county', grantedThisYear: '2000.00' } });
    expect(byCounty.json().documentation).toBeUndefined();
    const doc = await post(`/v1/temporary-assistance/${third.assistanceId}/documentation`, township(), {
      documentedOn: today(),
      summary: 'x',
      documents: ['x'],
    });
    expect(doc.statusCode).toBe(409);
  }, 60_000);

  it('R-A10: bad input answers 4xx problem+json and changes nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM temporary_assistance', []);
    const unemployed = await post('/v1/temporary-assistance', township(), {
      ...receipt({ hardshipKind: 'uninsured_unemployment' }),
      unemployment: { monthsWithoutIncome: 2, unemploymentInsurance: false },
    });
    expect(unemployed.statusCode).toBe(400);
    expect(JSON.stringify(unemployed.json())).toMatch(/3 months/);
    const elsewhere = await post(
      '/v1/temporary-assistance',
      env.as('township_staff', '140802102'),
      receipt(),
    );
    expect(elsewhere.statusCode).toBe(403);
    const body = receipt();
    const twice = await post('/v1/temporary-assistance', township(), {
      ...body,
      household: [{ ...body.person, relation: 'spouse' }],
    });
    expect(twice.statusCode).toBe(400);
    const limits = await env.api.inject({
      method: 'PUT',
      url: '/v1/admin/temporary-assistance-limits',
      headers: env.as('admin', '14'),
      payload: {
        countyCode: COUNTY,
        effectiveFrom: '2020-01-01',
        perGrant: '3000.00',
        perHouseholdYear: '2500.00',
      },
    });
    expect(limits.statusCode).toBe(400);
    expect(await count('SELECT count(*)::int AS n FROM temporary_assistance', [])).toBe(before);
    // The same limits again are no new version.
    const same = await env.api.inject({
      method: 'PUT',
      url: '/v1/admin/temporary-assistance-limits',
      headers: env.as('admin', '14'),
      payload: {
        countyCode: COUNTY,
        effectiveFrom: '2020-01-01',
        perGrant: '1000.00',
        perHouseholdYear: '2500',
      },
    });
    expect(same.json()).toMatchObject({ unchanged: true, version: `${COUNTY}-2020-01-01-ta1` });
  });

  it('R-O5 R-A10: temporary assistance has its own statistics line (JSON, CSV, XLSX); a county without limits decides every grant; a returned grant is reported apart', async () => {
    // Another county, which has set no limits: the township's reserve fund grants nothing itself.
    const village = '140821101201';
    const ids: string[] = [];
    for (const amount of ['300.00', '450.50']) {
      const res = await post(
        '/v1/temporary-assistance',
        env.as('township_staff', '140821101'),
        receipt({
          villageCode: village,
          amountAsked: amount,
        }),
      );
      expect(res.statusCode).toBe(201);
      expect(res.json().limits).toMatchObject({ version: 'default', perGrant: '0.00' });
      const id = res.json().assistanceId as string;
      const byTownship = await post(
        `/v1/temporary-assistance/${id}/decision`,
        env.as('township_staff', '140821101'),
        {
          approve: true,
          amount,
          reasons: '突发重大疾病',
        },
      );
      expect(byTownship.statusCode).toBe(403);
      const decided = await post(
        `/v1/temporary-assistance/${id}/decision`,
        env.as('county_staff', '140821'),
        {
          approve: true,
          amount,
          reasons: '突发重大疾病',
        },
      );
      expect(decided.statusCode).toBe(200);
      await paidAndNoticed(id);
      ids.push(id);
    }
    const month = monthOf(today());
    const report = async (format = 'json') =>
      env.api.inject({
        url: `/v1/reports/payments?region=140821&month=${month}&format=${format}`,
        headers: env.as('supervisor', '1408'),
      });
    const before = (await report()).json();
    expect(before.total.temporaryAssistance).toEqual({
      backPayPersons: 0,
      backPayAmount: '0.00',
      monthPersons: 4,
      monthAmount: '750.50',
      cumulativePersons: 4,
      cumulativeAmount: '750.50',
    });
    expect(before.rows[0].temporaryAssistance).toEqual(before.total.temporaryAssistance);
    const csv = (await report('csv')).body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(csv[0]).toContain('临时救助本月发放金额(元)/temporary_month_amount');
    expect(csv.at(-1)!.split(',').slice(-4)).toEqual(['4', '750.50', '4', '750.50']);
    const xlsx = await report('xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    // The bank returns the second grant: it leaves the line and is reported apart.
    const returned = await post(
      `/v1/temporary-assistance/${ids[1]}/payment-result`,
      env.as('county_staff', '140821'),
      {
        resultId: `bank-ret-${ids[1]}`,
        outcome: 'returned',
        reason: 'account closed',
        reportedAt: new Date().toISOString(),
      },
    );
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ stage: 'closed', payment: { status: 'returned' } });
    const after = (await report()).json();
    expect(after.total.temporaryAssistance).toMatchObject({ monthPersons: 2, monthAmount: '300.00' });
    expect(after.excluded.failedOrReturned).toEqual({ count: 1, amount: '450.50' });
    // R-M1: the return is raised to supervisors, never silently lost.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM supervision_alerts WHERE subject_id = $1 AND deadline_kind = 'payment_returned'`,
        [ids[1]],
      ),
    ).toBe(1);
  }, 60_000);

  it('R-L3 R-A10: a register household referred to temporary assistance opens the request; its decision answers the referral', async () => {
    const members = [
      { idNumber: idNumber('1960-10-10'), name: '孙七', relation: 'applicant' },
      { idNumber: idNumber('1990-11-11'), name: '孙小七', relation: 'child' },
    ];
    const registered = await post('/v1/register/households', township(), {
      source: 'visit',
      villageCode: VILLAGE,
      foundOn: today(),
      members,
    });
    expect(registered.statusCode).toBe(201);
    const householdId = registered.json().householdId as string;
    const url = `/v1/register/households/${householdId}/referrals`;
    const asked = {
      personIdNumber: members[1]!.idNumber,
      residence: 'rural',
      hardshipKind: 'disaster',
      hardship: '暴雨冲毁住房',
      occurredOn: today(),
      amountAsked: '500.00',
    };
    const referral = {
      referralId: 'ta-1',
      department: 'temporary_assistance',
      need: '住房损毁，生活困难',
      referredOn: today(),
    };
    // Refused before anything is recorded: no request named, or a person not of the household.
    expect((await post(url, township(), referral)).statusCode).toBe(400);
    const stranger = await post(url, township(), {
      ...referral,
      temporaryAssistance: { ...asked, personIdNumber: idNumber('1950-01-01') },
    });
    expect(stranger.statusCode).toBe(422);
    const key = `ref-${householdId}`;
    const res = await post(url, township(), { ...referral, temporaryAssistance: asked }, key);
    expect(res.statusCode).toBe(200);
    const id = res.json().temporaryAssistanceId as string;
    expect(res.json().referrals).toMatchObject([{ referralId: 'ta-1', department: 'temporary_assistance' }]);
    expect(JSON.stringify(res.json().referrals)).not.toContain('暴雨');
    // The same referral again opens no second request.
    expect(
      (await post(url, township(), { ...referral, temporaryAssistance: asked }, key)).json()
        .temporaryAssistanceId,
    ).toBe(id);
    expect(
      (await post(url, township(), { ...referral, temporaryAssistance: asked })).json().temporaryAssistanceId,
    ).toBe(id);
    expect(
      await count('SELECT count(*)::int AS n FROM temporary_assistance WHERE source_ref = $1', [
        `${householdId}:ta-1`,
      ]),
    ).toBe(1);
    const v = await get(id);
    expect(v).toMatchObject({
      source: { kind: 'referral', householdId, referralId: 'ta-1' },
      members: [{ name: '孙小七' }, { name: '孙七' }],
      amountAsked: '500.00',
    });
    const decided = await post(`/v1/temporary-assistance/${id}/decision`, township(), {
      approve: true,
      amount: '500.00',
      reasons: '暴雨灾害',
    });
    expect(decided.statusCode).toBe(200);
    const answered = await until(async () => {
      const h = await env.api.inject({ url: `/v1/register/households/${householdId}`, headers: township() });
      return h.json().referrals[0].answer;
    }, 'the referral answered');
    expect(answered).toMatchObject({ outcome: 'provided', by: 'township_staff-e2e', on: today() });
    expect(answered.text).toContain(id);
  }, 60_000);

  it('R-A10 R-M1: paid exactly once when the worker is killed (SIGKILL) during the payment: another worker finishes it', async () => {
    const asked = await receive();
    const id = asked.assistanceId as string;
    await env.stopWorker();
    const child = await spawnWorker(env);
    try {
      const decided = await post(`/v1/temporary-assistance/${id}/decision`, township(), {
        approve: true,
        amount: '700.00',
        reasons: '突发重大疾病',
      });
      expect(decided.statusCode).toBe(200);
      // Killed as soon as the payment's transaction is in: the workflow has not yet recorded it.
      await until(
        async () =>
          (await count('SELECT count(*)::int AS n FROM payment_lines WHERE payroll_id = $1', [id])) > 0,
        'the bank line written',
        { tries: 400, everyMs: 10 },
      );
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    await env.startWorker();
    const v = await paidAndNoticed(id);
    expect(v.payment).toMatchObject({ status: 'sent', amount: '700.00' });
    expect(await count('SELECT count(*)::int AS n FROM ledger WHERE case_id = $1', [id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM payment_lines WHERE case_id = $1', [id])).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM ledger_history WHERE case_id = $1 AND from_status IS NULL`,
        [id],
      ),
    ).toBe(1);
    expect((v.history as { action: string }[]).filter((e) => e.action === 'payment_sent')).toHaveLength(1);
    expect(await count('SELECT count(*)::int AS n FROM notices WHERE subject_id = $1', [id])).toBe(1);
  }, 120_000);
});
