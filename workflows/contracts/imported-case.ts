import type { PolicyParameters } from '../../domain/policy';
import type { CaseInput, DeathNotice } from './case';

// What an imported case reads when it starts (API.md "Documents and onboarding"). Its own file: it
// names the case's contracts, which import the import's, so it cannot live with the import's.

/**
 * What an imported case reads before its first month, in one local activity: its input from the
 * stored batch, the county's versions published after the batch's (R-M8) and the death notices
 * waiting for its members (R-M2).
 */
export interface ImportedCaseReads {
  input: CaseInput;
  newerPolicies: PolicyParameters[];
  waitingDeathNotices: DeathNotice[];
}
