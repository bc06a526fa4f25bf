import { setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  calendarUpdatedSignal,
  caseStateQuery,
  changeReportUpdate,
  comparisonHitSignal,
  complaintCheckSignal,
  deathNoticeSignal,
  deathReportUpdate,
  demandStepUpdate,
  reviewResultUpdate,
  spotCheckCaseSignal,
  standardChangedSignal,
  visitEventSignal,
} from '../contracts';
import { caseMemberSteps } from './members';
import type { CaseState } from './state';

// The case workflow's messages: staff steps are Updates (validated before they enter history, then
// applied and their effects flushed before the answer); integrations and fan-outs send signals, which
// the state applies at once and the main loop flushes (`changed` wakes it).

export function caseHandlers(
  state: CaseState,
  flush: () => Promise<void>,
  changed: () => void,
  acts: Pick<Activities, 'holdEnrolments'>,
) {
  const now = () => new Date();
  setHandler(caseStateQuery, () => state.snapshot());
  // R-A1 / R-M5 / R-M4: members who join are held for the case before the step applies (409 else).
  const members = caseMemberSteps(state, acts);
  setHandler(
    changeReportUpdate,
    (c) =>
      members(
        c.members,
        () => state.checkChange(c, now()),
        async () => {
          state.applyChange(c, now());
          await flush();
          return state.snapshot();
        },
      ),
    { validator: (c) => state.checkChange(c, now()) },
  );
  setHandler(
    reviewResultUpdate,
    (r) =>
      members(
        r.members,
        () => state.checkReviewResult(r, now()),
        async () => {
          state.applyReviewResult(r, now());
          await flush();
          return state.snapshot();
        },
      ),
    { validator: (r) => state.checkReviewResult(r, now()) },
  );
  const onSignal =
    <T>(apply: (x: T, at: Date) => void) =>
    (x: T) => {
      apply(x, now());
      changed();
    };
  setHandler(
    deathNoticeSignal,
    onSignal((n, at) => state.applyDeath(n, at)),
  );
  // R-M2 from staff: an Update, so the answer says whether the case counted it and a case whose
  // workflow is gone is refused before anything is recorded.
  setHandler(
    deathReportUpdate,
    async (n) => {
      const outcome = state.applyDeath(n, now());
      changed();
      await flush();
      return outcome;
    },
    { validator: (n) => state.checkDeathReport(n, now()) },
  );
  // R-M10: repayments and write-offs of a closed case's repayment demand, recorded by the county.
  setHandler(
    demandStepUpdate,
    async (step) => {
      const demand = state.applyDemandStep(step, now());
      changed();
      await flush();
      return JSON.parse(JSON.stringify(demand)) as typeof demand;
    },
    { validator: (step) => state.checkDemandStep(step) },
  );
  setHandler(
    comparisonHitSignal,
    onSignal((h, at) => state.applyHit(h, at)),
  );
  setHandler(
    complaintCheckSignal,
    onSignal((c, at) => state.applyComplaintCheck(c, at)),
  );
  setHandler(
    visitEventSignal,
    onSignal((c, at) => state.applyChange(c, at)),
  );
  setHandler(
    standardChangedSignal,
    onSignal((s, at) => state.applyStandardChange(s.policy, at)),
  );
  setHandler(
    calendarUpdatedSignal,
    onSignal((y, at) => state.applyCalendar(y, at)),
  );
  // R-O2: a spot-check finding (corrected amount, reversed approval).
  setHandler(
    spotCheckCaseSignal,
    onSignal((f, at) => state.applySpotCheckFinding(f, at)),
  );
}
