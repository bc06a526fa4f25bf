import { applicationApproval } from './application-approval';
import { applicationCalendarUpdated } from './application-calendar-updated';
import { applicationCloseRelativeRoster } from './application-close-relative-roster';
import { applicationEnrolmentHeld } from './application-enrolment-held';
import { applicationGrantOverdue } from './application-grant-overdue';
import { applicationInvestigationRoster } from './application-investigation-roster';
import { applicationMarginalApproval } from './application-marginal-approval';
import { applicationObjectionRejection } from './application-objection-rejection';
import { applicationProcedureExtended } from './application-procedure-extended';
import { applicationReceiptRefused } from './application-receipt-refused';
import { applicationReturnedForNewOpinion } from './application-returned-for-new-opinion';
import { applicationWithdrawal } from './application-withdrawal';
import { caseCloseRelativeRoster } from './case-close-relative-re-review';
import { caseDeathDateConflict } from './case-death-date-conflict';
import { caseDeathOnePerson } from './case-death-one-person';
import { caseHitCheckAndTaper } from './case-hit-check-and-taper';
import { caseImported, caseImportedOneRead } from './case-imported';
import { caseLateDeathDemands } from './case-late-death-demands';
import { caseMemberChange } from './case-member-change';
import { caseMonthsAndReview } from './case-months-and-review';
import { caseRepaymentDemand } from './case-repayment-demand';
import { caseSpotCheckFindings } from './case-spot-check-findings';
import { caseStaffDeathDemand } from './case-staff-death-demand';
import { caseStandardRaised } from './case-standard-raised';
import { complaintAnonymousExtended } from './complaint-anonymous-extended';
import { complaintAnswered } from './complaint-answered';
import { importCaseload, importCaseloadByActivity } from './import-caseload';
import { payrollLateReturn } from './payroll-late-return';
import { payrollRosterToResults } from './payroll-roster-to-results';
import { payrollSchedulerMonthly } from './payroll-scheduler-monthly';
import { registerHitVisit } from './register-hit-visit';
import { registerImportedHousehold } from './register-imported-household';
import { registerRelocated, registerRelocatedSuccessor } from './register-relocated';
import { retentionPurgeDaily } from './retention-purge-daily';
import type { NamedScenario } from './session';
import { spotCheckItemCorrected } from './spot-check-item-corrected';
import { spotCheckRoundDraw } from './spot-check-round-draw';
import { spotCheckSchedulerMonthly } from './spot-check-scheduler-monthly';
import { standardAdjustmentFanOut } from './standard-adjustment-fan-out';
import { temporaryAssistanceAwaitingDocumentation } from './temporary-assistance-awaiting-documentation';
import { temporaryAssistanceReferralCounty } from './temporary-assistance-referral-county';
import { temporaryAssistanceTownshipDocumented } from './temporary-assistance-township-documented';

// Every recorded scenario, one file each, grouped by workflow; the file prefix names the workflow
// (test/replay/README.md). A scenario's name is unique across workflows (the command line takes it).
export const SCENARIOS: readonly NamedScenario[] = [
  applicationApproval,
  applicationObjectionRejection,
  applicationReturnedForNewOpinion,
  applicationMarginalApproval,
  applicationProcedureExtended,
  applicationWithdrawal,
  applicationGrantOverdue,
  applicationCalendarUpdated,
  applicationReceiptRefused,
  applicationCloseRelativeRoster,
  applicationEnrolmentHeld,
  applicationInvestigationRoster,
  caseMonthsAndReview,
  caseDeathOnePerson,
  caseHitCheckAndTaper,
  caseDeathDateConflict,
  caseRepaymentDemand,
  caseSpotCheckFindings,
  caseStaffDeathDemand,
  caseImported,
  caseImportedOneRead,
  caseLateDeathDemands,
  caseCloseRelativeRoster,
  caseMemberChange,
  caseStandardRaised,
  registerHitVisit,
  registerImportedHousehold,
  registerRelocated,
  registerRelocatedSuccessor,
  payrollRosterToResults,
  payrollLateReturn,
  payrollSchedulerMonthly,
  complaintAnswered,
  complaintAnonymousExtended,
  spotCheckRoundDraw,
  spotCheckSchedulerMonthly,
  spotCheckItemCorrected,
  importCaseload,
  importCaseloadByActivity,
  standardAdjustmentFanOut,
  temporaryAssistanceTownshipDocumented,
  temporaryAssistanceReferralCounty,
  temporaryAssistanceAwaitingDocumentation,
  retentionPurgeDaily,
];
