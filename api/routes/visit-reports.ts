import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StoredVisitEntry } from '../../db/repositories/visit-reports';
import { type CivilDate, civilDateOf, compareDates, monthOf, type YearMonth } from '../../domain/dates';
import { townshipForwardDue, visitReportDue } from '../../domain/deadlines';
import { countyOf, reaches } from '../../domain/region';
import {
  type ChangeKind,
  type ChangeReportInput,
  caseWorkflowId,
  deathNoticeSignal,
  visitEventSignal,
} from '../../workflows/contracts';
import { takeDeathNotices } from '../death-intake';
import { actorOf, eachLimited, type LineResult } from '../intake';
import { assertReach, type Caller } from '../plugins/auth';
import { badRequest, conflict, forbidden, problemResponses } from '../problem';
import {
  forwardBody,
  forwardReceipt,
  type VISIT_KINDS,
  visitReportBody,
  visitReportReceipt,
} from '../schemas/visit-reports';
import { countyDeadlinesFor, workingCalendar } from '../visit-report-deadlines';

type VisitKind = (typeof VISIT_KINDS)[number];
type Entry = {
  idNumber: string;
  kind: VisitKind;
  occurredOn: CivilDate;
  perCapitaIncome?: string;
  summary: string;
};
type StoredEntry = Entry & StoredVisitEntry;

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
  const { cases, deathNotices, visitReports } = app.repos;
  const calendar = () => workingCalendar(app);
  // The county's own 20th/25th when it has overridden them (deadline parameters, R-M7).
  const deadlinesOf = (countyCode: string, month: YearMonth) => countyDeadlinesFor(app, countyCode, month);

  async function fanOut(caller: Caller, village: string, month: YearMonth, entries: StoredEntry[]) {
    const today = civilDateOf(new Date());
    const deaths = entries
      .map((e, i) => ({ e, noticeId: `visit:${village}:${month}:${i}` }))
      .filter(({ e }) => e.kind === 'death' && e.outcome === 'matched');
    // A death is sent again while its case has not recorded it (the workflow counts it once).
    const recorded = await deathNotices.recordedByCase(deaths.map((d) => d.noticeId));
    const actor = actorOf(caller);
    await eachLimited(
      entries.map((e, i) => ({ e, i })).filter(({ e }) => e.outcome === 'matched'),
      16,
      async ({ e, i }) => {
        const id = `visit:${village}:${month}:${i}`;
        const h = app.temporal.workflow.getHandle(caseWorkflowId(e.caseId!));
        if (e.kind === 'death') {
          if (recorded.has(id)) return;
          return h.signal(deathNoticeSignal, {
            noticeId: id,
            idNumber: e.idNumber,
            diedOn: e.occurredOn,
            source: 'visit_report',
            receivedOn: today,
            reportedBy: actor,
          });
        }
        const change: ChangeReportInput = {
          actor,
          changeId: id,
          kind: CHANGE_KIND[e.kind as Exclude<VisitKind, 'death'>],
          reportedOn: e.occurredOn,
          perCapitaIncome: e.perCapitaIncome,
          summary: e.summary,
          viaVisitReport: `${village}:${month}`,
        };
        return h.signal(visitEventSignal, change);
      },
    );
  }

  /** The death intake's answer for each death entry that no case held at receipt, by entry index. */
  type DeathAnswer = {
    outcome: 'matched' | 'pending' | 'forbidden' | 'unknown';
    caseId?: string;
    applicationId?: string;
  };
  async function takeUnheldDeaths(
    caller: Caller,
    village: string,
    month: YearMonth,
    entries: StoredEntry[],
  ): Promise<Map<number, DeathAnswer>> {
    const lines = entries.flatMap((e, index) =>
      e.kind === 'death' && e.outcome === 'unknown'
        ? [
            {
              result: { index, outcome: 'unknown' } as LineResult,
              item: {
                noticeId: `visit:${village}:${month}:${index}`,
                idNumber: e.idNumber,
                diedOn: e.occurredOn,
                source: 'visit_report' as const,
              },
            },
          ]
        : [],
    );
    if (lines.length) await takeDeathNotices(app, caller, lines);
    // A repeated report finds its notices kept already: it answers as the first did.
    const repeated = lines.filter((l) => l.result.outcome === 'unknown').map((l) => l.item.noticeId);
    const waitsFor = await app.repos.deathNotices.keptFor(repeated);
    for (const l of lines) {
      const applicationId = waitsFor.get(l.item.noticeId);
      if (l.result.outcome === 'unknown' && applicationId)
        Object.assign(l.result, { outcome: 'pending', applicationId });
    }
    return new Map<number, DeathAnswer>(
      lines.map((l) => [
        l.result.index,
        {
          // A resent death the intake already has (a duplicate) is what it was: unknown to this report.
          outcome:
            (['matched', 'pending', 'forbidden'] as const).find((o) => o === l.result.outcome) ?? 'unknown',
          caseId: l.result.caseId,
          applicationId: l.result.applicationId,
        },
      ]),
    );
  }

  app.post(
    '/visit-reports',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
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
      const holders = await cases.holdersOf(req.body.entries.map((e) => e.idNumber));
      const entries: StoredEntry[] = req.body.entries.map((e) => {
        const c = holders.get(e.idNumber);
        if (!c || (c.deceased && (e.kind !== 'death' || c.status === 'closed')))
          return { ...e, outcome: 'unknown' };
        if (!reaches(req.user.region, c.villageCode)) return { ...e, outcome: 'forbidden' };
        return { ...e, outcome: 'matched', caseId: c.caseId };
      });
      const due = visitReportDue(await calendar(), month, await deadlinesOf(countyOf(village), month));

      // R-M2: a reported death reaches its case as a death notice, which the case records (one writer).
      const stored = await visitReports.submit({
        villageCode: village,
        month,
        zeroReport,
        entries,
        submittedBy: req.user.sub,
        submittedOn: today,
      });
      if (stored) {
        const same =
          stored.zeroReport === zeroReport &&
          stored.entries.map(entryKey).join('\n') === req.body.entries.map(entryKey).join('\n');
        if (!same)
          throw conflict('visit-report-exists', `village ${village} has already reported ${month}`, {
            villageCode: village,
            month,
            submittedOn: stored.submittedOn,
          });
      }
      const report = stored ? stored.entries : entries;
      const submittedOn = stored?.submittedOn ?? today;
      // A repeated report resends what its cases have not recorded: delivery lives with the signal.
      await fanOut(req.user, village, month, report);
      // R-M2: a death of a person no case holds goes where an integration's would: the pending
      // application holding them, the closed case that last held them, or kept for a later case.
      const waiting = await takeUnheldDeaths(req.user, village, month, report);
      return reply.code(stored ? 200 : 201).send({
        villageCode: village,
        month,
        zeroReport,
        submittedOn,
        due,
        late: compareDates(submittedOn, due.date) > 0,
        results: report.map((e, index) => ({
          index,
          kind: e.kind,
          ...(waiting.get(index) ?? { outcome: e.outcome, caseId: e.caseId }),
        })),
      });
    },
  );

  app.post(
    '/visit-reports/forwards',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
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
        throw forbidden("the caller's region is not this township");
      const villages = await visitReports.villagesWithoutReport(townshipCode, month);
      if (villages.length > 0)
        throw conflict('visit-reports-missing', `no ${month} report yet from ${villages.join(', ')}`, {
          villages,
        });
      const { created, forwardedOn } = await visitReports.forward({
        townshipCode,
        month,
        forwardedBy: req.user.sub,
        forwardedOn: civilDateOf(new Date()),
      });
      const due = townshipForwardDue(
        await calendar(),
        month,
        await deadlinesOf(countyOf(townshipCode), month),
      );
      return reply.code(created ? 201 : 200).send({
        townshipCode,
        month,
        forwardedOn,
        due,
        late: compareDates(forwardedOn, due.date) > 0,
      });
    },
  );
};
