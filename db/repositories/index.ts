import type pg from 'pg';
import { alertsRepository } from './alerts';
import { applicationListRepository } from './application-list';
import { applicationsRepository } from './applications';
import { auditRepository } from './audit';
import { calendarRepository } from './calendar';
import { caseEntitlementsRepository } from './case-entitlements';
import { caseListRepository } from './case-list';
import { casesRepository } from './cases';
import { closeRelativesRepository } from './close-relatives';
import { comparisonHitsRepository } from './comparison-hits';
import { complaintsRepository } from './complaints';
import { deathNoticesRepository } from './death-notices';
import { enrolmentsRepository } from './enrolments';
import { idempotencyRepository } from './idempotency';
import { importValidationsRepository } from './import-validations';
import { importsRepository } from './imports';
import { ledgerRepository } from './ledger';
import { metricsRepository } from './metrics';
import { noticeDocumentsRepository } from './notice-documents';
import { noticesRepository } from './notices';
import { overdueRepository } from './overdue';
import { oversightRepository } from './oversight';
import { paymentLinesRepository } from './payment-lines';
import { payrollRepository } from './payroll';
import { payrollResultsRepository } from './payroll-results';
import { personLookupRepository } from './person-lookup';
import { policiesRepository } from './policies';
import { publicityRepository } from './publicity';
import { registerRepository } from './register';
import { repaymentDemandsRepository } from './repayment-demands';
import { reportsRepository } from './reports';
import { rosterRepository } from './roster';
import { spotChecksRepository } from './spot-checks';
import { supervisionRepository } from './supervision';
import { temporaryGrantsRepository } from './temporary-grants';
import { visitReportsRepository } from './visit-reports';

// Every SQL statement of the system lives in a repository here, one file per group of tables
// (ARCHITECTURE.md names the one writer of each table). The API reads through them and calls
// Temporal; the activities, built with the same repositories, are the workflows' writers.
export function createRepositories(pool: pg.Pool) {
  return {
    pool,
    /** Postgres answers (the API's /ready). */
    ping: async () => {
      await pool.query('SELECT 1');
    },
    cases: casesRepository(pool),
    caseEntitlements: caseEntitlementsRepository(pool),
    deathNotices: deathNoticesRepository(pool),
    enrolments: enrolmentsRepository(pool),
    comparisonHits: comparisonHitsRepository(pool),
    visitReports: visitReportsRepository(pool),
    supervision: supervisionRepository(pool),
    overdue: overdueRepository(pool),
    alerts: alertsRepository(pool),
    applications: applicationsRepository(pool),
    idempotency: idempotencyRepository(pool),
    policies: policiesRepository(pool),
    calendar: calendarRepository(pool),
    notices: noticesRepository(pool),
    noticeDocuments: noticeDocumentsRepository(pool),
    publicity: publicityRepository(pool),
    payroll: payrollRepository(pool),
    payrollResults: payrollResultsRepository(pool),
    paymentLines: paymentLinesRepository(pool),
    ledger: ledgerRepository(pool),
    reports: reportsRepository(pool),
    repaymentDemands: repaymentDemandsRepository(pool),
    audit: auditRepository(pool),
    imports: importsRepository(pool),
    importValidations: importValidationsRepository(pool),
    register: registerRepository(pool),
    complaints: complaintsRepository(pool),
    oversight: oversightRepository(pool),
    metrics: metricsRepository(pool),
    spotChecks: spotChecksRepository(pool),
    roster: rosterRepository(pool),
    closeRelatives: closeRelativesRepository(pool),
    temporaryGrants: temporaryGrantsRepository(pool),
    caseList: caseListRepository(pool),
    applicationList: applicationListRepository(pool),
    personLookup: personLookupRepository(pool),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
