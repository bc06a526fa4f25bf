import type pg from 'pg';
import type { Money } from '../../domain/money';

// What a printed notice (R-A7, R-M9) states beside the notice row itself: the household's head as
// recorded, the programme, and the amounts and months the decision concerns — read from the read
// models the workflows keep (applications, cases, entitlements, case_adjustments). Read only.

export interface NoticeHead {
  name: string;
  idNumber: string;
}

export interface NoticeAdjustment {
  kind: 'back_pay' | 'recovery';
  amount: Money;
  months: string[];
}

export interface NoticeFacts {
  category?: string;
  residence?: string;
  head?: NoticeHead;
  /** A case's monthly amount now, its first month and (when closed) the reason and first month without pay. */
  monthlyAmount?: Money;
  startMonth?: string;
  closedReason?: string;
  closedFromMonth?: string;
  /** The rate this notice's decision set: from which month, the amount before and after. */
  rate?: { fromMonth: string; amount: Money; previous?: Money };
  /** Back-pay and recoveries decided the same day for the same reasons. */
  adjustments: NoticeAdjustment[];
  /** R-A10: a request for temporary assistance: its hardship and the amount asked. */
  hardshipKind?: string;
  amountAsked?: Money;
}

type Member = { name?: string; idNumber?: string; relation?: string; covered?: boolean };

/** The head as recorded: the member named on the notice, else the applicant, else the first. */
function headOf(members: Member[], addressee: string): NoticeHead | undefined {
  const m =
    members.find((x) => x.name === addressee && x.relation === 'applicant') ??
    members.find((x) => x.name === addressee) ??
    members.find((x) => x.relation === 'applicant') ??
    members[0];
  return m?.name && m.idNumber ? { name: m.name, idNumber: m.idNumber } : undefined;
}

export function noticeDocumentsRepository(pool: pg.Pool) {
  return {
    async applicationFacts(applicationId: string, addressee: string): Promise<NoticeFacts> {
      const [app, members] = await Promise.all([
        pool.query('SELECT category, residence FROM applications WHERE application_id = $1', [applicationId]),
        pool.query(
          `SELECT name, id_number AS "idNumber", relation FROM application_members
           WHERE application_id = $1 ORDER BY id_number`,
          [applicationId],
        ),
      ]);
      return {
        category: app.rows[0]?.category,
        residence: app.rows[0]?.residence ?? undefined,
        head: headOf(members.rows, addressee),
        adjustments: [],
      };
    },

    /** R-A10: a request for temporary assistance: the person who asked (first member) and the hardship. */
    async temporaryAssistanceFacts(assistanceId: string, addressee: string): Promise<NoticeFacts> {
      const { rows } = await pool.query(
        `SELECT residence, hardship_kind, amount_asked, view->'members' AS members
         FROM temporary_assistance WHERE assistance_id = $1`,
        [assistanceId],
      );
      const r = rows[0];
      if (!r) return { adjustments: [] };
      return {
        category: 'temporary_assistance',
        residence: r.residence,
        head: headOf(r.members ?? [], addressee),
        hardshipKind: r.hardship_kind,
        amountAsked: r.amount_asked,
        adjustments: [],
      };
    },

    /**
     * A case's facts for a notice decided on `decidedOn` with `reasons`: the rate entry whose reason
     * the notice repeats (a reduction's reasons, a suspension's `suspended: reasons`), and the
     * adjustments recorded that day for those reasons (R-M2, R-M5: what is recovered, for which months).
     */
    async caseFacts(
      caseId: string,
      addressee: string,
      decidedOn: string,
      reasons: string,
    ): Promise<NoticeFacts> {
      const [c, rates, adjustments] = await Promise.all([
        pool.query(
          `SELECT c.category, c.members, c.monthly_amount, c.start_month, c.closed_reason, c.closed_from_month,
             coalesce(c.view->>'residence', a.residence) AS residence
           FROM cases c LEFT JOIN applications a ON a.application_id = c.application_id
           WHERE c.case_id = $1`,
          [caseId],
        ),
        pool.query(
          `SELECT effective_month, monthly_amount, reason FROM entitlements
           WHERE case_id = $1 ORDER BY effective_month, recorded_at`,
          [caseId],
        ),
        pool.query(
          `SELECT kind, amount, months FROM case_adjustments
           WHERE case_id = $1 AND decided_on = $2 AND starts_with($3, reason) ORDER BY kind`,
          [caseId, decidedOn, reasons],
        ),
      ]);
      const row = c.rows[0];
      const facts: NoticeFacts = {
        adjustments: adjustments.rows.map((a) => ({ kind: a.kind, amount: a.amount, months: a.months })),
      };
      if (!row) return facts;
      type Rate = { effective_month: string; monthly_amount: Money; reason: string };
      const list = rates.rows as Rate[];
      const sets = (r: Rate) =>
        r.reason.length > 0 && (reasons.startsWith(r.reason) || r.reason === `suspended: ${reasons}`);
      let i = list.length - 1;
      while (i >= 0 && !sets(list[i]!)) i--;
      const set = list[i];
      // The rate in force for that month before this decision: the last earlier entry up to it.
      const before = list
        .slice(0, Math.max(i, 0))
        .filter((r) => set && r.effective_month <= set.effective_month)
        .at(-1);
      return {
        ...facts,
        category: row.category,
        residence: row.residence ?? undefined,
        head: headOf(row.members ?? [], addressee),
        monthlyAmount: row.monthly_amount,
        startMonth: row.start_month,
        closedReason: row.closed_reason ?? undefined,
        closedFromMonth: row.closed_from_month ?? undefined,
        ...(set
          ? {
              rate: {
                fromMonth: set.effective_month,
                amount: set.monthly_amount,
                ...(before ? { previous: before.monthly_amount } : {}),
              },
            }
          : {}),
      };
    },
  };
}

export type NoticeDocumentsRepository = ReturnType<typeof noticeDocumentsRepository>;
