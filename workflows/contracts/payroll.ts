import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../../domain/calendar';
import type { YearMonth } from '../../domain/dates';
import type { DeadlineParameters } from '../../domain/deadlines';
import type { Money } from '../../domain/money';
import type { PolicyParameters } from '../../domain/policy';

// The monthly payroll's messages (R-M1, R-E6).

// ---- Monthly payroll (R-M1, R-E6)
export const payrollId = (countyCode: string, month: YearMonth) => `${countyCode}:${month}`;
export const payrollWorkflowId = (countyCode: string, month: YearMonth) => `payroll:${countyCode}:${month}`;

export interface PayrollContext {
  policy: PolicyParameters;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
}

export interface PayrollInput {
  countyCode: string;
  month: YearMonth;
  /** Roster page size (cases per activity call). */
  pageSize?: number;
  /**
   * A run started only to apply bank results that came after the payroll's earlier run had
   * completed (R-M1: a late return or correction is never lost); it skips the roster and the file.
   */
  resultsOnly?: boolean;
  /** Carried by continue-as-new: when the wait for the bank's results ends (epoch ms). */
  resultsUntil?: number;
  /** Tests: continue as new after this many wake-ups while waiting for results (as the case does). */
  continueAsNewAfter?: number;
}

export const PAYROLL_STAGES = ['waiting_for_roster', 'rostering', 'sent', 'completed', 'overdue'] as const;
export type PayrollStage = (typeof PAYROLL_STAGES)[number];

export interface PayrollView {
  payrollId: string;
  countyCode: string;
  month: YearMonth;
  stage: PayrollStage;
  rosterDate: Deadline;
  paymentDate: Deadline;
  quarterlyExtremePoverty: boolean;
  casesDone: number;
  rowsWritten: number;
  retried: number;
  escalated: number;
  /** Open cases that handed no month for this roster (raised to supervisors). */
  missingCases: number;
  file?: { fileName: string; sha256: string; lines: number; amount: Money };
  /** Bank lines by status (sent, paid, failed, returned, …). */
  lines: Record<string, number>;
  overdue: boolean;
}

export const payrollStateQuery = defineQuery<PayrollView>('payrollState');
/** The API received bank results for this payroll: look at the lines again. */
export const paymentResultsSignal = defineSignal<[{ received: number }]>('paymentResults');

/** One result of the bank for one line of the file (R-M1). */
export interface PaymentResultInput {
  resultId: string;
  lineId: string;
  outcome: 'paid' | 'failed' | 'returned';
  reason?: string;
  reportedAt: string;
}

export type PaymentResultOutcome = 'applied' | 'duplicate' | 'unknown_line' | 'stale';

/** Most results per Update, so that one Update's payload stays far below Temporal's blob limit. */
export const PAYMENT_RESULTS_PER_UPDATE = 1000;

/**
 * The bank's results for this payroll's lines, applied by the payroll itself (the one writer of
 * `payment_lines`, `payment_results` and the ledger's statuses); answers one outcome per result.
 */
export const paymentResultsUpdate = defineUpdate<PaymentResultOutcome[], [{ results: PaymentResultInput[] }]>(
  'applyPaymentResults',
);

/** The payroll id a bank line belongs to (`<county>:<month>:<case>`), if it has that shape. */
export function payrollOfLine(lineId: string): { countyCode: string; month: YearMonth } | undefined {
  const m = /^(\d{6}):(\d{4}-\d{2}):./.exec(lineId);
  return m ? { countyCode: m[1]!, month: m[2]! } : undefined;
}

export interface PayrollResult {
  payrollId: string;
  stage: PayrollStage;
  lines: Record<string, number>;
}
