import { createHash } from 'node:crypto';
import { storedPolicy } from '../db/repositories/policies';
import type { AuditEntry, RoundRecord } from '../db/repositories/spot-checks';
import type { YearMonth } from '../domain/dates';
import { DEFAULT_POLICY } from '../domain/policy';
import { drawSpotChecks } from '../domain/sampling';
import type {
  DecisionUnit,
  SpotCheckContext,
  SpotCheckRoundResult,
  SpotCheckView,
} from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';

/**
 * R-O2: the seed of a round — sha256 of county, month and the nonce the round workflow generated
 * once (recorded with the round), so anyone can derive it again and recompute the draw.
 */
export const spotCheckSeed = (countyCode: string, month: YearMonth, nonce: string): string =>
  createHash('sha256').update(`${countyCode}|${month}|${nonce}`).digest('hex');

export function spotCheckActivities(deps: ActivityDeps) {
  const { spotChecks, policies, calendar } = reposOf(deps);
  return {
    /** The county's R-O2 ratios and deadline parameters in force on the month's last day. */
    async loadSpotCheckContext(args: { countyCode: string; month: YearMonth }): Promise<SpotCheckContext> {
      const row = await policies.row(args.countyCode, `${args.month}-28`);
      const stored = row ? storedPolicy(row) : undefined;
      const ratios = stored?.policy.spotCheck ?? DEFAULT_POLICY.spotCheck;
      return {
        policyVersion: stored?.policy.version ?? null,
        decisionRatio: ratios.decisionRatio,
        closeRelativeRatio: ratios.closeRelativeRatio,
        deadlines: stored?.deadlines ?? (await policies.deadlines(args.countyCode, `${args.month}-28`)),
        runtimeYears: await calendar.runtimeYears(),
      };
    },

    /** R-O2: the month's township decisions from the read model, in application-id order. */
    async spotCheckPopulation(args: { countyCode: string; month: YearMonth }): Promise<DecisionUnit[]> {
      return spotChecks.population(args.countyCode, args.month);
    },

    /** Counties with township decisions in the month (the monthly schedule's list). */
    async spotCheckCounties(args: { month: YearMonth }): Promise<string[]> {
      return spotChecks.counties(args.month);
    },

    /**
     * R-O2: derives the seed, draws, and records the round (the table's one writer). Recorded once:
     * a retry returns the first round, so its draw is the one that stands.
     */
    async recordSpotCheckRound(args: {
      countyCode: string;
      month: YearMonth;
      roundId: string;
      nonce: string;
      context: SpotCheckContext;
      population: DecisionUnit[];
      drawnOn: string;
      startedBy: string;
      at: string;
    }): Promise<
      Omit<SpotCheckRoundResult, 'requested'> & {
        population: DecisionUnit[];
        requested: DecisionUnit[];
        opened: string[];
      }
    > {
      const seed = spotCheckSeed(args.countyCode, args.month, args.nonce);
      const ratios = {
        decisionRatio: args.context.decisionRatio,
        closeRelativeRatio: args.context.closeRelativeRatio,
      };
      const draw = drawSpotChecks(
        args.population.map((u) => ({ key: u.applicationId, closeRelative: u.closeRelative })),
        ratios,
        seed,
      );
      const record: RoundRecord = {
        roundId: args.roundId,
        countyCode: args.countyCode,
        month: args.month,
        nonce: args.nonce,
        seed,
        ...ratios,
        parameterVersion: args.context.policyVersion,
        population: args.population,
        drawn: draw.drawn,
        requested: await spotChecks.requested(args.countyCode, args.month),
        strata: draw.strata,
        drawnOn: args.drawnOn,
        startedBy: args.startedBy,
      };
      const stored = await spotChecks.recordRound(record, {
        eventKey: `spot_check_round:${args.roundId}`,
        action: 'spot_check_drawn',
        actorSub: args.startedBy,
        actorRole: args.startedBy === 'schedule' ? 'system' : 'staff',
        at: args.at,
        payload: {
          seed,
          nonce: args.nonce,
          populationSize: args.population.length,
          drawn: draw.drawn.length,
          requested: record.requested.map((u) => u.applicationId),
        },
      });
      return {
        roundId: stored.roundId,
        seed: stored.seed,
        populationSize: stored.population.length,
        drawn: stored.drawn,
        population: stored.population,
        requested: stored.requested,
        opened: await spotChecks.openedOf(stored.roundId),
      };
    },

    /** The check task's row and its audit entries (R-O6), written by the check's own workflow. */
    async saveSpotCheck(args: {
      view: SpotCheckView;
      unit: DecisionUnit;
      entries: AuditEntry[];
    }): Promise<void> {
      await spotChecks.saveCheck(args.view, args.unit, args.entries);
    },
  };
}
