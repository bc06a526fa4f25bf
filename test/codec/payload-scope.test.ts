import { describe, expect, it } from 'vitest';
import { receiptApplicationId } from '../../clients/receipt';
import { coversPayload, recordOfWorkflowId, regionOfWorkflowId } from '../../codec/payload-scope';
import { importedCaseId } from '../../domain/caseload-import';
import { householdKey } from '../../domain/register-key';
import {
  applicationWorkflowId,
  caseWorkflowId,
  complaintWorkflowId,
  importWorkflowId,
  payrollWorkflowId,
  registerWorkflowId,
  spotCheckItemWorkflowId,
  spotCheckRoundWorkflowId,
  standardAdjustmentWorkflowId,
} from '../../workflows/contracts';

// R-O7: every workflow id of the contracts names the county its payloads belong to.

const C = '140881';
const k = { keys: new Map([['t1', Buffer.alloc(32, 3)]]), currentKeyId: 't1' };
const applicationId = receiptApplicationId(C, '2026-01-05', 'ab'.repeat(32));

describe('payload scope (R-O7)', () => {
  it('R-O7: the county of every kind of workflow id', () => {
    for (const id of [
      applicationWorkflowId(applicationId),
      caseWorkflowId(applicationId),
      caseWorkflowId(importedCaseId(k, C, 'old-7')),
      complaintWorkflowId(`C${C}20260105ABCDEF012345`),
      importWorkflowId(`C${C}20260105ABCDEF012345`),
      registerWorkflowId(C, householdKey(k, C, '140881199001011234')),
      payrollWorkflowId(C, '2026-01'),
      spotCheckRoundWorkflowId(C, '2026-01'),
      spotCheckItemWorkflowId(`SC-${applicationId}`),
      standardAdjustmentWorkflowId(`${C}-2026-01-01-v1`),
    ])
      expect(regionOfWorkflowId(id), id).toBe(C);
    expect(regionOfWorkflowId('payroll-scheduler-2026-01-01T01:00:00Z')).toBeUndefined();
    expect(regionOfWorkflowId(undefined)).toBeUndefined();
  });

  it('R-O7: a caller reaches a payload of its county or below its region; a payload without one, a province only', () => {
    expect(coversPayload('14', C)).toBe(true);
    expect(coversPayload('1408', C)).toBe(true);
    expect(coversPayload(C, C)).toBe(true);
    expect(coversPayload('140802', C)).toBe(false);
    expect(coversPayload('14', undefined)).toBe(true);
    expect(coversPayload(C, undefined)).toBe(false);
  });

  it('R-O6: the record a workflow id stands for', () => {
    expect(recordOfWorkflowId('case:A1')).toEqual({ kind: 'case', id: 'A1' });
    expect(recordOfWorkflowId(`register:${C}:H-t1-ab`)).toEqual({ kind: 'register', id: 'H-t1-ab' });
    expect(recordOfWorkflowId('payroll:140881:2026-01')).toEqual({
      kind: 'temporal_workflow',
      id: 'payroll:140881:2026-01',
    });
  });
});
