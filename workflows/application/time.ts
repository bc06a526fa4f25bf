import type { YearCalendar } from '../../domain/calendar';
import type { HistoryEntry } from '../contracts';
import type { Flagged } from './deadlines';
import { type ApplicationParts, SYSTEM } from './record';

// The passage of time in an application: publicity that has ended opens the decision (R-A4),
// deadlines become at risk or overdue (R-A6), and a calendar published later moves provisional
// deadlines (R-T2). Nothing is ever decided by time alone.

/** Applies the passage of time; answers what changed so the workflow can notify. */
export function tick(
  { record: r, deadlines }: ApplicationParts,
  now: Date,
): { flagged: Flagged[]; entries: HistoryEntry[] } {
  const entries: HistoryEntry[] = [];
  const v = r.view;
  const pub = v.publicity;
  if (v.stage === 'publicity' && pub && now.getTime() >= new Date(pub.endsAt).getTime()) {
    v.stage = 'decision';
    deadlines.track('decision', pub.lastDay, r.ctx.deadlines.decisionWorkingDays);
    entries.push(r.record(now, 'publicity_ended', SYSTEM, undefined, { round: pub.round }));
  }
  return { flagged: deadlines.flag(now), entries };
}

/** The next instant at which a flag or the publicity end changes, for the workflow's timer. */
export function nextWakeUp({ record: r, deadlines }: ApplicationParts, now: Date): Date | undefined {
  const instants = deadlines.instants();
  if (r.view.stage === 'publicity' && r.view.publicity) instants.push(new Date(r.view.publicity.endsAt));
  const future = instants
    .filter((t) => t.getTime() > now.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  const due = instants.some((t) => t.getTime() <= now.getTime());
  return due ? now : future[0];
}

/** R-T2: a newly published year replaces the fallback; open deadlines are recomputed. */
export function applyCalendar(
  parts: ApplicationParts,
  year: YearCalendar,
  now: Date,
): HistoryEntry | undefined {
  const changed = parts.deadlines.recompute(year);
  tick(parts, now);
  return changed.length
    ? parts.record.record(now, 'deadlines_recomputed', SYSTEM, `calendar ${year.year}`, { changed })
    : undefined;
}
