import { addDays, dayInMonth } from '../../domain/dates';
import { actor, COUNTY, policy } from '../../test/helpers/fixtures';
import {
  comparisonHitSignal,
  deathNoticeSignal,
  demandIdOf,
  demandStepUpdate,
  reviewResultUpdate,
} from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario } from './session';

// R-E6 R-M2 R-M10: a closed case recovers a death it learns of late. A two-person extreme-poverty
// case paid monthly, months 1–3 rostered; a data check's stop from month 3 recovers it (demand 1);
// then one person's death in month 1 is reported: their share of month 2 becomes demand 2. Both
// written off, the case ends.
export const caseLateDeathDemands: NamedScenario = {
  prefix: 'case',
  name: 'late-death-demands',
  run: async (s) => {
    const county = actor('county_staff', COUNTY);
    const { input, handle, m } = await s.startCase({
      size: 2,
      category: 'extreme_poverty',
      policy: policy('2024-10-01'),
    });
    await s.sleepUntil(dayInMonth(m(3), 20));
    await handle.signal(comparisonHitSignal, {
      hitId: 'h-1',
      kind: 'police_deregistration',
      idNumber: input.members[0]!.idNumber,
      detectedOn: await s.today(),
      source: 'police',
      details: 'moved away',
    });
    await handle.executeUpdate(reviewResultUpdate, {
      args: [{ actor: county, taskId: 'check-h-1', outcome: 'stop', fromMonth: m(3), reasons: 'moved away' }],
    });
    await s.sleepUntil(addDays(await s.today(), 1));
    await handle.signal(deathNoticeSignal, {
      noticeId: 'late-1',
      idNumber: input.members[1]!.idNumber,
      diedOn: dayInMonth(m(1), 2),
      source: 'health',
      receivedOn: await s.today(),
      reportedBy: actor('integration', COUNTY),
    });
    await s.sleepUntil(addDays(await s.today(), 1));
    const v = await caseView(handle);
    checkCase('two demands open', v.demands?.length === 2 && v.demands.every((d) => d.status === 'open'), v);
    for (const k of [1, 2])
      await handle.executeUpdate(demandStepUpdate, {
        args: [
          {
            actor: county,
            demandId: demandIdOf(input.caseId, k),
            stepId: `w${k}`,
            kind: 'write_off',
            decidedOn: await s.today(),
            decisionRef: `D-${k}`,
            reasons: 'no estate',
          },
        ],
      });
    const result = await handle.result();
    checkCase('closed, both demands written off', result.status === 'closed', v);
    return { handle, closed: true };
  },
};
