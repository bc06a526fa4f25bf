import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { countyOf, townshipOf } from '../domain/region';
import {
  SA_CASE_KIND,
  SA_COUNTY,
  SA_STAGE,
  SA_TOWNSHIP,
  SA_VILLAGE,
} from '../workflows/contracts/search-attributes';

// The start options every receipt's update-with-start shares (an application, R-A1; a request for
// temporary assistance, R-A10): a conflict uses the existing run, an id is never reused, and the
// search attributes a visibility query of the window needs from the first event (kind, stage
// `received`, the village and its township and county).

export function receiptStartOptions(caseKind: string, village: string) {
  return {
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA_CASE_KIND, value: caseKind },
      { key: SA_STAGE, value: 'received' },
      { key: SA_COUNTY, value: countyOf(village) },
      { key: SA_TOWNSHIP, value: townshipOf(village) },
      { key: SA_VILLAGE, value: village },
    ]),
  };
}

/** The Update id of a receipt: one per request token, so a retry reaches the first answer. */
export const receiptUpdateId = (token: string) => `receipt:${token}`;
