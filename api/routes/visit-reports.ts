import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inTransaction } from '../../db/pool';
import { WorkingCalendar } from '../../domain/calendar';
import { type CivilDate, civilDateOf, compareDates, monthOf, type YearMonth } from '../../domain/dates';
import { townshipForwardDue, visitReportDue } from '../../domain/deadlines';
import { countyOf, isRegionCode, reaches, townshipOf } from '../../domain/region';
import {
  type ChangeKind,
  type ChangeReportInput,
  caseWorkflowId,
  deathNoticeSignal,
  visitEventSignal,
} from '../../workflows/messages';
import { assertReach, type Caller } from '../plugins/auth';
import { badRequest, conflict, forbidden, problemResponses } from '../problem';
import {
  forwardBody,
  forwardReceipt,
  missingVisitReports,
  supervisionQuery,
  type VISIT_KINDS,
  visitReportBody,
  visitReportReceipt,
} from '../schemas/cases';
import { casesOfPersons, eachLimited, insertDeathNotices } from './integrations';

type VisitKind = (typeof VISIT_KINDS)[number];
type Entry = {
  idNumber: string;
  kind: VisitKind;
  occurredOn: CivilDate;
  perCapitaIncome?: string;
  summary: string;
};
type StoredEntry = Entry & { outcome: 'matched' | 'unknown' | 'forbidden'; caseId?: string };

// R-M7: every non-death entry of a visit report becomes a change report of the member's case.
const CHANGE_KIND: Record<Exclude<VisitKind, 'death'>, ChangeKind> = {
  employment: 'employment',
  income: 'income',
  large_spending: 'large_spending',
  disaster: 'disaster',
  serious_illness: 'serious_illness',
  imprisonment: 'imprisonment',
};

/** Two reports are the same when every entry is (jsonb does not keep key order). */
const entryKey = (e: Entry) =>
  [e.idNumber, e.kind, e.occurredOn, e.perCapitaIncome ?? '', e.summary].join('\u0001');

// R-M7: villages report their recipients' changes by the 20th (a zero report when nothing
// happened); townships forward to the county by the 25th. Supervisors see who has not.
export const visitReportRoutes: FastifyPluginAsyncZod = async (app) => {
  const calendar = async () =>
    (await app.repos.calendar.runtimeYears()).reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
  // The county's own 20th/25th when it has overridden them (deadline parameters, R-M7).
  const deadlinesOf = (countyCode: string, month: YearMonth) =>
    app.repos.policies.deadlines(countyCode, `${month}-01`);

  async function fanOut(caller: Caller, village: string, month: YearMonth, entries: StoredEntry[]) {
    const today = civilDateOf(new Date());
    const deaths = entries
      .map((e, i) => ({ e, noticeId: `visit:${village}:${month}:${i}` }))
      .filter(({ e }) => e.kind === 'death' && e.outcome === 'matched');
    // A death is sent again only while its case has not confirmed it (the workflow counts it once).
    const { rows } = await app.pg.query(
      `SELECT notice_id FROM death_notices WHERE notice_id = ANY($1::text[]) AND outcome = 'matched'`,
      [deaths.map((d) => d.noticeId)],
    );
    const pending = new Set(rows.map((r) => r.notice_id as string));
    const actor = { sub: caller.sub, role: caller.role, region: caller.region };
    await eachLimited(
      entries.map((e, i) => ({ e, i })).filter(({ e }) => e.outcome === 'matched'),
      16,
      async ({ e, i }) => {
        const id = `visit:${village}:${month}:${i}`;
        const h = app.temporal.workflow.getHandle(caseWorkflowId(e.caseId!));
        if (e.kind === 'death') {
          if (!pending.has(id)) return;
          return h.signal(deathNoticeSignal, {
            noticeId: id,
            idNumber: e.idNumber,
            diedOn: e.occurredOn,
            source: 'visit_report',
            receivedOn: today,
          });
        }
        const change: ChangeReportInput = {
          actor,
          changeId: id,
          kind: CHANGE_KIND[e.kind],
          reportedOn: e.occurredOn,
          perCapitaIncome: e.perCapitaIncome,
          summary: e.summary,
          viaVisitReport: `${village}:${month}`,
        };
        return h.signal(visitEventSignal, change);
      },
    );
  }

  app.post(
    '/visit-reports',
    {
      preHandler: [app.requireRole('township_staff'), app.idempotency],
      schema: {
        tags: ['visit-reports'],
        summary: "A village's monthly visit report, or an explicit zero report (R-M7)",
        description:
          'One report per village and month. Each entry reaches the case holding the person: a death ' +
          'becomes a death notice (R-M2), anything else a change report (R-M5). Repeating the same ' +
          'report answers 200 with the first answer; a different one is 409.',
        body: visitReportBody,
        response: { 201: visitReportReceipt, 200: visitReportReceipt, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { villageCode: village, month, zeroReport } = req.body;
      assertReach(req.user, village);
      const today = civilDateOf(new Date());
      if (month > monthOf(today))
        throw badRequest(`month ${month} has not begun`, [{ path: 'body.month', message: 'a future month' }]);
      const cases = await casesOfPersons(
        app.pg,
        req.body.entries.map((e) => e.idNumber),
      );
      const entries: StoredEntry[] = req.body.entries.map((e) => {
        const c = cases.get(e.idNumber);
        if (!c || (c.deceased && (e.kind !== 'death' || c.status === 'closed')))
          return { ...e, outcome: 'unknown' };
        if (!reaches(req.user.region, c.villageCode)) return { ...e, outcome: 'forbidden' };
        return { ...e, outcome: 'matched', caseId: c.caseId };
      });
      const due = visitReportDue(await calendar(), month, await deadlinesOf(countyOf(village), month));

      const stored = await inTransaction(app.pg, async (db) => {
        const ins = await db.query(
          `INSERT INTO visit_reports (village_code, month, township_code, county_code, zero_report, entries,
             submitted_by, submitted_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (village_code, month) DO NOTHING`,
          [
            village,
            month,
            townshipOf(village),
            countyOf(village),
            zeroReport,
            JSON.stringify(entries),
            req.user.sub,
            today,
          ],
        );
        if (ins.rowCount === 0) {
          const { rows } = await db.query(
            'SELECT zero_report, entries, submitted_on FROM visit_reports WHERE village_code = $1 AND month = $2',
            [village, month],
          );
          return rows[0] as { zero_report: boolean; entries: StoredEntry[]; submitted_on: CivilDate };
        }
        // R-M2: a reported death is a death notice like any other (deduplicated by the case).
        await insertDeathNotices(
          db,
          entries.flatMap((e, i) =>
            e.kind === 'death' && e.outcome !== 'forbidden'
              ? [
                  {
                    notice: {
                      noticeId: `visit:${village}:${month}:${i}`,
                      idNumber: e.idNumber,
                      diedOn: e.occurredOn,
                      source: 'visit_report' as const,
                    },
                    caseId: e.caseId ?? null,
                    outcome: e.outcome,
                  },
                ]
              : [],
          ),
          req.user.sub,
        );
        return undefined;
      });

      if (stored) {
        const same =
          stored.zero_report === zeroReport &&
          stored.entries.map(entryKey).join('\n') === req.body.entries.map(entryKey).join('\n');
        if (!same)
          throw conflict('visit-report-exists', `village ${village} has already reported ${month}`, {
            villageCode: village,
            month,
            submittedOn: stored.submitted_on,
          });
      }
      const report = stored ? stored.entries : entries;
      const submittedOn = stored?.submitted_on ?? today;
      // After the commit: the workflow records the death's outcome on the death_notices row.
      await fanOut(req.user, village, month, report);
      return reply.code(stored ? 200 : 201).send({
        villageCode: village,
        month,
        zeroReport,
        submittedOn,
        due,
        late: compareDates(submittedOn, due.date) > 0,
        results: report.map((e, index) => ({ index, kind: e.kind, outcome: e.outcome, caseId: e.caseId })),
      });
    },
  );

  app.post(
    '/visit-reports/forwards',
    {
      preHandler: [app.requireRole('township_staff'), app.idempotency],
      schema: {
        tags: ['visit-reports'],
        summary: "The township forwards its villages' reports to the county (R-M7)",
        description:
          'Refused (409, naming them) while a village of the township with open cases has not reported ' +
          'the month. Forwarding again answers 200 with the first forward.',
        body: forwardBody,
        response: { 201: forwardReceipt, 200: forwardReceipt, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { townshipCode, month } = req.body;
      if (!townshipCode.startsWith(req.user.region))
        throw forbidden(`region ${req.user.region} is not township ${townshipCode}`);
      const missing = await app.pg.query(
        `SELECT DISTINCT c.village_code FROM cases c
         WHERE c.township_code = $1 AND c.status <> 'closed'
           AND NOT EXISTS (SELECT 1 FROM visit_reports v WHERE v.village_code = c.village_code AND v.month = $2)
         ORDER BY c.village_code`,
        [townshipCode, month],
      );
      if (missing.rows.length > 0) {
        const villages = missing.rows.map((r) => r.village_code as string);
        throw conflict('visit-reports-missing', `no ${month} report yet from ${villages.join(', ')}`, {
          villages,
        });
      }
      const today = civilDateOf(new Date());
      const ins = await app.pg.query(
        `INSERT INTO township_forwards (township_code, month, county_code, forwarded_by, forwarded_on)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (township_code, month) DO NOTHING`,
        [townshipCode, month, countyOf(townshipCode), req.user.sub, today],
      );
      const { rows } = await app.pg.query(
        'SELECT forwarded_on FROM township_forwards WHERE township_code = $1 AND month = $2',
        [townshipCode, month],
      );
      const forwardedOn = rows[0].forwarded_on as CivilDate;
      const due = townshipForwardDue(
        await calendar(),
        month,
        await deadlinesOf(countyOf(townshipCode), month),
      );
      return reply.code(ins.rowCount === 1 ? 201 : 200).send({
        townshipCode,
        month,
        forwardedOn,
        due,
        late: compareDates(forwardedOn, due.date) > 0,
      });
    },
  );

  app.get(
    '/supervision/visit-reports',
    {
      preHandler: [app.requireRole('supervisor', 'county_staff')],
      schema: {
        tags: ['supervision'],
        summary: 'Villages and townships that have not reported a month (R-M7, R-O3)',
        description:
          "Within the caller's region: villages with open cases and no visit report for the month, and " +
          'townships with open cases that have not forwarded, each with its due date and whether it is overdue.',
        querystring: supervisionQuery,
        response: { 200: missingVisitReports, ...problemResponses },
      },
    },
    async (req) => {
      const today = civilDateOf(new Date());
      const month = req.query.month ?? monthOf(today);
      const { township } = req.query;
      const region = req.user.region;
      if (township && !township.startsWith(region) && !region.startsWith(township))
        throw forbidden(`region ${region} does not reach township ${township}`);
      if (!isRegionCode(region)) throw forbidden(`region ${region} reaches nothing`);
      const cal = await calendar();
      const { rows } = await app.pg.query(
        `SELECT c.village_code, c.township_code, count(*)::int AS open_cases,
                EXISTS (SELECT 1 FROM visit_reports v WHERE v.village_code = c.village_code AND v.month = $3) AS reported,
                EXISTS (SELECT 1 FROM township_forwards f WHERE f.township_code = c.township_code AND f.month = $3) AS forwarded
         FROM cases c
         WHERE c.status <> 'closed' AND c.village_code LIKE $1 || '%' AND ($2::text IS NULL OR c.township_code = $2)
         GROUP BY c.village_code, c.township_code ORDER BY c.village_code`,
        [region, township ?? null, month],
      );
      const overdue = (d: CivilDate) => compareDates(today, d) > 0;
      const townships = [...new Set(rows.filter((r) => !r.forwarded).map((r) => r.township_code as string))];
      // Each county's own deadlines (a region may span several counties).
      const counties = [...new Set(rows.map((r) => countyOf(r.village_code)))];
      const params = new Map(
        await Promise.all(counties.map(async (c) => [c, await deadlinesOf(c, month)] as const)),
      );
      const reportDue = (village: string) => visitReportDue(cal, month, params.get(countyOf(village)));
      const forwardDue = (t: string) => townshipForwardDue(cal, month, params.get(countyOf(t)));
      return {
        month,
        region,
        villages: rows
          .filter((r) => !r.reported)
          .map((r) => {
            const due = reportDue(r.village_code);
            return { villageCode: r.village_code, openCases: r.open_cases, due, overdue: overdue(due.date) };
          }),
        townships: townships.map((t) => {
          const due = forwardDue(t);
          return { townshipCode: t, due, overdue: overdue(due.date) };
        }),
      };
    },
  );
};
