import { type spotCheckActivities, spotCheckSeed } from '../../activities/spot-checks';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { DEFAULT_POLICY } from '../../domain/policy';
import { drawSpotChecks } from '../../domain/sampling';
import type { DecisionUnit, SpotCheckView } from '../../workflows/contracts';

// R-O2: the spot-check activities over in-memory township decisions, for the recorded spot-check
// histories (the real ones are tested against Postgres in test/workflows/spot-checks.test.ts). The
// draw is the real one (domain/sampling.ts, seeded as the activity seeds it); a round is recorded
// once, so a retried record returns the first draw.

type SpotCheckActivities = ReturnType<typeof spotCheckActivities>;

export function fakeSpotChecks() {
  const state = {
    /** The township decisions the read model holds (county and month from village and date). */
    decisions: [] as DecisionUnit[],
    rounds: new Map<string, Awaited<ReturnType<SpotCheckActivities['recordSpotCheckRound']>>>(),
    /** Every save of a check task, in order. */
    checkSaves: [] as { view: SpotCheckView; entries: { action: string }[] }[],
  };
  const decisionsOf = (countyCode: string, month: string) =>
    state.decisions
      .filter((u) => u.villageCode.startsWith(countyCode) && u.decidedOn.startsWith(month))
      .sort((a, b) => a.applicationId.localeCompare(b.applicationId));
  const activities: SpotCheckActivities = {
    loadSpotCheckContext: async () => ({
      policyVersion: null,
      ...DEFAULT_POLICY.spotCheck,
      deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
      runtimeYears: [],
    }),
    spotCheckPopulation: async ({ countyCode, month }) => decisionsOf(countyCode, month),
    spotCheckCounties: async ({ month }) =>
      [
        ...new Set(
          state.decisions.filter((u) => u.decidedOn.startsWith(month)).map((u) => u.villageCode.slice(0, 6)),
        ),
      ].sort(),
    recordSpotCheckRound: async (a) => {
      const stored = state.rounds.get(a.roundId);
      if (stored) return stored;
      const seed = spotCheckSeed(a.countyCode, a.month, a.nonce);
      const draw = drawSpotChecks(
        a.population.map((u) => ({ key: u.applicationId, closeRelative: u.closeRelative })),
        { decisionRatio: a.context.decisionRatio, closeRelativeRatio: a.context.closeRelativeRatio },
        seed,
      );
      const round = {
        roundId: a.roundId,
        seed,
        populationSize: a.population.length,
        drawn: draw.drawn,
        population: a.population,
        requested: [],
        opened: [],
      };
      state.rounds.set(a.roundId, round);
      return round;
    },
    saveSpotCheck: async ({ view, entries }) => {
      state.checkSaves.push(structuredClone({ view, entries }));
    },
  };
  return { activities, state };
}
