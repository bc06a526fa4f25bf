import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { type ApplicationContext, importWorkflowId } from '../workflows/contracts';
import type { importWorkflow } from '../workflows/import/workflow';
import type { ImportFormat } from './import-file';
import type { CheckOutcome } from './import-threads';
import { ProblemError } from './problem';

// A checked caseload file admitted (API.md "Documents and onboarding"; R-A1): refused whole while a
// row is invalid (422, a report per row) unless `validOnly`, else the batch stored (`imports`,
// `import_households`) and `import:<id>` started with ids and a count only. Both steps are
// idempotent by the import id, so the same upload admitted again starts nothing new.

export const REPORT_LIMIT = 5000;

export interface Admitted {
  importId: string;
  workflowId: string;
  rowsTotal: number;
  rowsInvalid: number;
  householdsTotal: number;
  householdsRefused: number;
  report: CheckOutcome['problems'];
}

export async function admitImport(
  app: FastifyInstance,
  a: {
    importId: string;
    countyCode: string;
    format: ImportFormat;
    validOnly: boolean;
    context: ApplicationContext;
    createdBy: string;
    checked: CheckOutcome;
  },
): Promise<Admitted> {
  const { problems, valid, rowsTotal } = a.checked;
  const rowsInvalid = new Set(problems.map((p) => p.row)).size;
  const report = problems.slice(0, REPORT_LIMIT);
  if ((problems.length > 0 && !a.validOnly) || valid.length === 0) {
    throw new ProblemError(
      422,
      'import-invalid',
      'Invalid rows',
      valid.length === 0
        ? 'no household is valid; nothing was imported'
        : `${rowsInvalid} of ${rowsTotal} rows are invalid; nothing was imported (validOnly=true imports the valid households)`,
      { rowsTotal, rowsInvalid, rows: report },
    );
  }
  await app.repos.imports.create({
    importId: a.importId,
    countyCode: a.countyCode,
    format: a.format,
    validOnly: a.validOnly,
    rowsTotal,
    problems,
    households: valid,
    context: a.context,
    createdBy: a.createdBy,
  });
  const workflowId = importWorkflowId(a.importId);
  try {
    await app.temporalCall(() =>
      app.temporal.workflow.start<typeof importWorkflow>('importWorkflow', {
        taskQueue: app.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ importId: a.importId, countyCode: a.countyCode, total: valid.length }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return {
    importId: a.importId,
    workflowId,
    rowsTotal,
    rowsInvalid,
    householdsTotal: valid.length,
    householdsRefused: a.checked.householdsTotal - valid.length,
    report,
  };
}
