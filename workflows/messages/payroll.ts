import { defineQuery, defineSignal } from '@temporalio/workflow';
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

export interface PayrollResult {
  payrollId: string;
  stage: PayrollStage;
  lines: Record<string, number>;
}
