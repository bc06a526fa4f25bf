import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { createActivities } from '../../activities';
import {
  type PayrollInput,
  paymentResultsUpdate,
  payrollStateQuery,
  payrollWorkflowId,
} from '../../workflows/contracts';
import type { payrollWorkflow } from '../../workflows/payroll/workflow';
import { freshDatabase } from './db';
import { testDataConverter, testEnv, testIdKeys } from './env';
import { createTimeSkippingEnv } from './time-skipping';

// The payroll with its real activities on Postgres and the time-skipping server (R-M1), one server
// and one database per test (ARCHITECTURE.md "Testing notes"). Months are past ones, so the roster
// cut-off has passed and the payroll starts at once.

export const COUNTY = '140802';
type Handle = WorkflowHandleWithFirstExecutionRunId<typeof payrollWorkflow>;

/** Registers the per-test setup in the calling file; the returned object holds the live parts. */
export function usePayrollEnv() {
  const t = {
    env: undefined as unknown as TestWorkflowEnvironment,
    pool: undefined as unknown as pg.Pool,
    files: '',
    taskQueue: `payroll-${Math.random().toString(36).slice(2)}`,

    async startPayroll(month: string, suffix = '', extra: Partial<PayrollInput> = {}): Promise<Handle> {
      return t.env.client.workflow.start<typeof payrollWorkflow>('payrollWorkflow', {
        taskQueue: t.taskQueue,
        workflowId: `${payrollWorkflowId(COUNTY, month)}${suffix}`,
        args: [{ countyCode: COUNTY, month, pageSize: 2, ...extra }],
      });
    },

    /** Waits until the bank file is out (the payroll then waits for results). */
    async untilSent(h: Handle) {
      for (let i = 0; i < 200; i++) {
        const v = await h.query(payrollStateQuery);
        if (v.file) return v;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('payroll did not send its file');
    },

    /** The bank answers every sent line, through the payroll's Update (the one writer of its lines). */
    async payAll(h: Handle, payrollId: string, outcome: 'paid' | 'failed' = 'paid') {
      const { rows } = await t.pool.query(
        'SELECT line_id FROM payment_lines WHERE payroll_id = $1 AND status = $2',
        [payrollId, 'sent'],
      );
      return h.executeUpdate(paymentResultsUpdate, {
        args: [
          {
            results: rows.map((r, i) => ({
              resultId: `${r.line_id}:${outcome}:${i}`,
              lineId: r.line_id,
              outcome,
              reportedAt: new Date().toISOString(),
            })),
          },
        ],
      });
    },

    async ledger(): Promise<pg.QueryResult['rows']> {
      const { rows } = await t.pool.query(
        `SELECT case_id, month, kind, amount, status, attempts, payroll_id FROM ledger ORDER BY case_id, month, kind`,
      );
      return rows;
    },
  };

  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let worker: Worker;
  let running: Promise<void>;
  beforeEach(async () => {
    t.env = await createTimeSkippingEnv();
    db = await freshDatabase();
    t.pool = db.pool;
    t.files = mkdtempSync(join(tmpdir(), 'payfiles-'));
    worker = await Worker.create({
      connection: t.env.nativeConnection,
      taskQueue: t.taskQueue,
      workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
      activities: createActivities({ pool: t.pool, idKeys: testIdKeys(), paymentFilesDir: t.files }),
      dataConverter: testDataConverter(),
    });
    running = worker.run();
  }, 60_000);
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await t.env?.teardown();
    await db?.drop();
  });
  return t;
}
