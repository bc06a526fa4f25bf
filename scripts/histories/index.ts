import { applicationApprovalStartsCase } from './application-approval-starts-case';
import { applicationCalendarUpdated } from './application-calendar-updated';
import { applicationCleanApproval } from './application-clean-approval';
import { applicationCloseRelativeRoster } from './application-close-relative-roster';
import { applicationEnrolmentHeld } from './application-enrolment-held';
import { applicationGrantOverdue } from './application-grant-overdue';
import { applicationObjectionRejection } from './application-objection-rejection';
import { applicationReceiptInWorkflow } from './application-receipt-in-workflow';
import { applicationReceiptRefused } from './application-receipt-refused';
import { applicationWithdrawal } from './application-withdrawal';
import { caseCloseRelativeRoster } from './case-close-relative-re-review';
import { caseDeathDateConflict } from './case-death-date-conflict';
import { caseDeathOnePerson } from './case-death-one-person';
import { caseDeathRecordedByCase } from './case-death-recorded-by-case';
import { caseHitCheckAndTaper } from './case-hit-check-and-taper';
import { caseImported } from './case-imported';
import { caseLateDeathDemands } from './case-late-death-demands';
import { caseMemberChange } from './case-member-change';
import { caseMonthsAndReview } from './case-months-and-review';
import { caseRepaymentDemand } from './case-repayment-demand';
import { caseSpotCheckFindings } from './case-spot-check-findings';
import { caseStaffDeathDemand } from './case-staff-death-demand';
import { registerHitVisit } from './register-hit-visit';
import type { NamedScenario } from './session';

// Every recorded scenario, one file each, in recording order; the file prefix names the workflow
// (test/replay/README.md).
export const SCENARIOS: readonly NamedScenario[] = [
  applicationCleanApproval,
  applicationApprovalStartsCase,
  applicationObjectionRejection,
  applicationWithdrawal,
  applicationGrantOverdue,
  applicationCalendarUpdated,
  applicationReceiptInWorkflow,
  applicationReceiptRefused,
  caseMonthsAndReview,
  caseDeathOnePerson,
  caseHitCheckAndTaper,
  caseDeathDateConflict,
  caseDeathRecordedByCase,
  caseRepaymentDemand,
  caseSpotCheckFindings,
  caseStaffDeathDemand,
  caseImported,
  caseLateDeathDemands,
  applicationCloseRelativeRoster,
  caseCloseRelativeRoster,
  applicationEnrolmentHeld,
  caseMemberChange,
  registerHitVisit,
];
