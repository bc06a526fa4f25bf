import { createHash } from 'node:crypto';
import type { payrollActivities } from '../../activities/payroll';
import type { YearMonth } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { add, type Money, toMoney } from '../../domain/money';
import { defaultPolicy } from '../../domain/policy';
import type { PaymentResultOutcome, PayrollView } from '../../workflows/contracts';

// R-M1: the payroll's activities over an in-memory county roster, for the recorded payroll
// histories (the real ones are tested against Postgres in test/workflows/payroll*.test.ts). They
// answer as the real ones would: cases page by page in id order, one bank line per rostered case,
// each bank result applied once by its id.

type PayrollActivities = ReturnType<typeof payrollActivities>;

export interface FakePayroll {
  countyCode: string;
  month: YearMonth;
  status: string;
  rostered: { caseId: string; amount: Money }[];
  /** Bank lines by line id (`<payroll>:<case>`) with their status. */
  lines: Map<string, string>;
  results: Set<string>;
  file?: NonNullable<PayrollView['file']>;
}

export function fakePayrolls() {
  const state = {
    /** The open cases of each county with the month's amount (what the roster reads). */
    cases: new Map<string, { caseId: string; amount: Money }[]>(),
    payrolls: new Map<string, FakePayroll>(),
  };
  const payroll = (payrollId: string) => {
    const p = state.payrolls.get(payrollId);
    if (!p) throw new Error(`no payroll ${payrollId}`);
    return p;
  };
  const activities: PayrollActivities = {
    loadPayrollContext: async ({ countyCode }) => ({
      policy: defaultPolicy({
        countyCode,
        effectiveFrom: '2020-01-01',
        standardUrban: '800.00',
        standardRural: '650.00',
      }),
      deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
      runtimeYears: [],
    }),
    openPayroll: async (a) => {
      if (!state.payrolls.has(a.payrollId))
        state.payrolls.set(a.payrollId, {
          countyCode: a.countyCode,
          month: a.month,
          status: 'rostering',
          rostered: [],
          lines: new Map(),
          results: new Set(),
        });
    },
    // R-M1: failed lines of the county's earlier payrolls go out again in this one.
    retryFailedLines: async ({ payrollId, countyCode, maxAttempts }) => {
      let retried = 0;
      for (const [id, p] of state.payrolls)
        for (const [lineId, status] of p.lines)
          if (id !== payrollId && p.countyCode === countyCode && status === 'failed' && maxAttempts > 1) {
            p.lines.set(lineId, 'retried');
            retried++;
          }
      return { retried, escalated: 0 };
    },
    rosterPage: async ({ payrollId, countyCode, afterCaseId, limit }) => {
      const p = payroll(payrollId);
      const page = [...(state.cases.get(countyCode) ?? [])]
        .sort((a, b) => a.caseId.localeCompare(b.caseId))
        .filter((c) => afterCaseId === undefined || c.caseId > afterCaseId)
        .slice(0, limit);
      for (const c of page) if (!p.rostered.some((r) => r.caseId === c.caseId)) p.rostered.push(c);
      return {
        afterCaseId,
        lastCaseId: page.at(-1)?.caseId ?? afterCaseId,
        cases: page.length,
        rows: page.length,
        done: page.length < limit,
      };
    },
    rosterLateMonths: async () => 0,
    rosterStragglers: async () => 0,
    rosterTemporaryGrants: async () => 0,
    checkRosterComplete: async () => ({ missing: 0, examples: [] }),
    writeBankFile: async ({ payrollId, countyCode, month }) => {
      const p = payroll(payrollId);
      const rows = p.rostered.map((c) => ({ lineId: `${payrollId}:${c.caseId}`, amount: c.amount }));
      for (const r of rows) if (!p.lines.has(r.lineId)) p.lines.set(r.lineId, 'sent');
      const text = ['line_id,amount', ...rows.map((r) => `${r.lineId},${r.amount}`)].join('\n');
      p.file = {
        fileName: `${countyCode}/${month}.csv`,
        sha256: createHash('sha256').update(text).digest('hex'),
        lines: rows.length,
        amount: toMoney(rows.reduce((s, r) => add(s, r.amount), '0')),
      };
      p.status = 'sent';
      return p.file;
    },
    loadPayrollFile: async ({ payrollId }) => payroll(payrollId).file,
    payrollProgress: async ({ payrollId }) => {
      const counts: Record<string, number> = {};
      for (const status of payroll(payrollId).lines.values()) counts[status] = (counts[status] ?? 0) + 1;
      return counts;
    },
    setPayrollStatus: async ({ payrollId, status }) => {
      payroll(payrollId).status = status;
    },
    listPayrollCounties: async () => [...state.cases.keys()].sort(),
    applyPaymentResults: async ({ payrollId, results }) => {
      const p = payroll(payrollId);
      return results.map((r): PaymentResultOutcome => {
        if (p.results.has(r.resultId)) return 'duplicate';
        if (!p.lines.has(r.lineId)) return 'unknown_line';
        p.results.add(r.resultId);
        p.lines.set(r.lineId, r.outcome);
        return 'applied';
      });
    },
  };
  return { activities, state };
}
