import type { Household } from '../../domain/household';
import {
  type ApplicationContext,
  type ApplicationInput,
  type ApplicationView,
  type HistoryEntry,
  type Stage,
  TERMINAL_STAGES,
} from '../contracts';
import type { ApplicationDeadlines } from './deadlines';

// The application's record, one part of its state (state.ts): the view and its history (R-O6). The
// deadlines (deadlines.ts) are the other part; the validators (checks.ts) and the transitions
// (opinion.ts, decision.ts) are functions over them. Time always comes in as an argument.

/** The actor of what time or the system does (never a human act, R-O6). */
export const SYSTEM = { sub: 'system', role: 'system' } as const;

/** What the transitions work on: the application's record and its deadlines (ApplicationState holds both). */
export interface ApplicationParts {
  readonly record: ApplicationRecord;
  readonly deadlines: ApplicationDeadlines;
}

export class ApplicationRecord {
  readonly view: ApplicationView;

  constructor(
    readonly input: ApplicationInput,
    readonly ctx: ApplicationContext,
  ) {
    const extensionReasons = input.specialCircumstances.map((s) => `special circumstance: ${s}`);
    this.view = {
      applicationId: input.applicationId,
      category: input.category,
      villageCode: input.villageCode,
      acceptedOn: input.acceptedOn,
      delegated: input.delegated,
      extended: extensionReasons.length > 0,
      extensionReasons,
      stage: 'received',
      policyVersion: ctx.policy.version,
      deadlines: [],
      temporaryGrants: [],
      history: [],
    };
  }

  get stage(): Stage {
    return this.view.stage;
  }

  get terminal(): boolean {
    return TERMINAL_STAGES.includes(this.view.stage);
  }

  /** The household as investigated (R-A2), or as declared at receipt. */
  household(): Household {
    return this.view.investigation?.household ?? this.input.household;
  }

  record(
    now: Date,
    action: string,
    by: HistoryEntry['by'],
    reason?: string,
    details?: Record<string, unknown>,
  ): HistoryEntry {
    const entry: HistoryEntry = {
      seq: this.view.history.length + 1,
      at: now.toISOString(),
      action,
      by,
      stage: this.view.stage,
      ...(reason ? { reason } : {}),
      ...(details ? { details } : {}),
    };
    this.view.history.push(entry);
    return entry;
  }
}
