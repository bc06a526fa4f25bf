import { dayInMonth } from '../../domain/dates';
import { deathNoticeSignal } from '../../workflows/contracts';
import {
  caseView,
  checkCase,
  type NamedScenario,
  type Outcome,
  type Session,
  writeOffFirstDemand,
} from './session';

// R-M2 R-M10 R-O6: a one-person case; the death (in month 1) is notified by the health system's
// integration after month 3 is rostered: the case records the notice with its actor, pays the month
// of death, recovers months 2 and 3, issues a stop notice and closes; the recovery becomes a
// repayment demand, written off by the county, and the case ends.
export const caseDeathOnePerson: NamedScenario = {
  prefix: 'case',
  name: 'death-one-person',
  run: (s) => onePersonDeath(s),
};

async function onePersonDeath(s: Session): Promise<Outcome> {
  const { input, handle, m } = await s.startCase({ size: 1 });
  await s.sleepUntil(dayInMonth(m(3), 20));
  let v = await caseView(handle);
  checkCase('three months rostered', v.rostered.length === 3, v);
  await handle.signal(deathNoticeSignal, {
    noticeId: 'health-1',
    idNumber: input.members[0]!.idNumber,
    diedOn: dayInMonth(m(1), 15),
    source: 'integration',
    reportedBy: { sub: 'health-system', role: 'integration', region: '14' },
    receivedOn: await s.today(),
  });
  // R-M10: the closed case tracks the repayment demand of months 2–3; written off, it ends.
  await s.sleepUntil(dayInMonth(m(3), 21));
  v = await caseView(handle);
  checkCase('a repayment demand open', v.demands?.length === 1, v);
  await writeOffFirstDemand(s, handle, input.caseId, 'D-1');
  const result = await handle.result();
  v = await caseView(handle);
  const recovery = s.calls.adjustments.map((a) => a.adjustment);
  checkCase(
    'closed for death from month 2 with months 2–3 recovered',
    result.closed?.reason === 'death' &&
      result.closed.fromMonth === m(2) &&
      recovery.length === 1 &&
      recovery[0]!.kind === 'recovery' &&
      recovery[0]!.amount === '2000.00' &&
      s.calls.notices.map((n) => n.kind).join() === 'stop,repayment_demand' &&
      s.calls.deathNotices.some((n) => n.notice.reportedBy?.sub === 'health-system'),
    v,
  );
  return { handle, closed: true };
}
