import { dayInMonth } from '../../domain/dates';
import type { Actor } from '../../domain/roles';
import { deathNoticeSignal } from '../../workflows/contracts';
import {
  caseView,
  checkCase,
  type NamedScenario,
  type Outcome,
  type Session,
  writeOffFirstDemand,
} from './session';

// R-M2: a one-person case; the death (in month 1) is notified after month 3 is rostered: paid for
// the month of death, months 2 and 3 recovered, a stop notice, the case closed. `reportedBy` names
// who reported it (the notice's actor, R-O6).
export async function onePersonDeath(s: Session, reportedBy?: Actor): Promise<Outcome> {
  const { input, handle, m } = await s.startCase({ size: 1 });
  await s.sleepUntil(dayInMonth(m(3), 20));
  let v = await caseView(handle);
  checkCase('three months rostered', v.rostered.length === 3, v);
  await handle.signal(deathNoticeSignal, {
    noticeId: 'health-1',
    idNumber: input.members[0]!.idNumber,
    diedOn: dayInMonth(m(1), 15),
    source: 'integration',
    ...(reportedBy ? { reportedBy } : {}),
    receivedOn: await s.today(),
  });
  // R-M10: the closed case tracks the repayment demand of months 2–3; written off, it ends.
  await s.sleepUntil(dayInMonth(m(3), 21));
  if ((await caseView(handle)).demands?.length) await writeOffFirstDemand(s, handle, input.caseId, 'D-1');
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
      ['stop', 'stop,repayment_demand'].includes(s.calls.notices.map((n) => n.kind).join()),
    v,
  );
  return { handle, closed: true };
}

export const caseDeathOnePerson: NamedScenario = {
  prefix: 'case',
  name: 'death-one-person',
  run: (s) => onePersonDeath(s),
};
