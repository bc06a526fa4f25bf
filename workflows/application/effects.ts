import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { endOfCivilDay } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';
import type { ApplicationInput, HistoryEntry } from '../contracts';
import {
  SA_AT_RISK,
  SA_CASE_KIND,
  SA_COUNTY,
  SA_DEADLINE,
  SA_OVERDUE,
  SA_STAGE,
  SA_TOWNSHIP,
  SA_VILLAGE,
} from '../contracts/search-attributes';
import type { ApplicationState } from './state';

const retry = { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['NoPolicy'] };
// The read-model writes are short Postgres transactions: as local activities they run inside the
// workflow task that takes the step, so a staff step costs one workflow task, and their inputs
// (the whole view) stay out of the history — only the marker with the result is recorded.
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry });

type SaValue = string | boolean | Date;

/**
 * The application workflow's side effects: the read model and audit trail, supervisor alerts,
 * the case record, notices, grants, and the search attributes (only those that changed).
 */
export class ApplicationEffects {
  readonly acts: Pick<
    Activities,
    | 'receiveApplication'
    | 'saveApplication'
    | 'notifySupervisor'
    | 'recordCase'
    | 'issueNotice'
    | 'recordTemporaryGrant'
    | 'checkCloseRelatives'
    | 'holdEnrolments'
  >;
  private saves = 0;
  private unsaved: HistoryEntry[];
  private upserted = new Map<string, SaValue>();

  constructor(
    private readonly input: ApplicationInput,
    private readonly state: ApplicationState,
  ) {
    this.acts = local;
    this.unsaved = [...state.view.history];
    // What the start already set (the API sets the region codes, kind and stage).
    for (const pair of workflowInfo().typedSearchAttributes.getAll()) {
      this.upserted.set(pair.key.name, pair.value as SaValue);
    }
  }

  get saved(): number {
    return this.saves;
  }

  get pending(): boolean {
    return this.unsaved.length > 0;
  }

  /** A history entry to write with the next save (signals cannot run activities themselves). */
  queue(entry: HistoryEntry) {
    this.unsaved.push(entry);
  }

  private take(entries: HistoryEntry[]) {
    const batch = [...this.unsaved, ...entries];
    this.unsaved = [];
    return { input: this.input, view: this.state.snapshot(), entries: batch, version: ++this.saves };
  }

  /** R-A1: the receipt (first save) — or the member held elsewhere, nothing written. */
  receive(entries: HistoryEntry[]) {
    return this.acts.receiveApplication(this.take(entries));
  }

  /** Read model and audit trail (idempotent per history seq), then the search attributes. */
  async save(entries: HistoryEntry[]) {
    await this.acts.saveApplication(this.take(entries));
    this.syncSearchAttributes();
  }

  syncSearchAttributes() {
    const s = this.state;
    const all: SearchAttributeUpdatePair[] = [
      { key: SA_CASE_KIND, value: 'application' },
      { key: SA_STAGE, value: s.stage },
      { key: SA_COUNTY, value: countyOf(this.input.villageCode) },
      { key: SA_TOWNSHIP, value: townshipOf(this.input.villageCode) },
      { key: SA_VILLAGE, value: this.input.villageCode },
      { key: SA_DEADLINE, value: endOfCivilDay(s.overallDeadline().date) },
      { key: SA_AT_RISK, value: s.isAtRisk() },
      { key: SA_OVERDUE, value: s.isOverdue() },
    ];
    const changed = all.filter((p) => !same(this.upserted.get(p.key.name), p.value as SaValue));
    if (changed.length === 0) return;
    upsertSearchAttributes(changed);
    for (const p of changed) this.upserted.set(p.key.name, p.value as SaValue);
  }
}

const same = (a: SaValue | undefined, b: SaValue) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
