import { z } from 'zod';
import { SPOT_CHECK_OUTCOMES } from '../../workflows/contracts';

// R-O2: spot-check rounds and their check tasks, as the workflows record them.

const decisionUnit = z.object({
  applicationId: z.string(),
  caseId: z.string().nullable(),
  villageCode: z.string(),
  decision: z.enum(['approved', 'rejected']),
  decidedOn: z.string(),
  decidedBy: z.string(),
  closeRelative: z.boolean(),
});

const finding = z.object({
  outcome: z.enum(SPOT_CHECK_OUTCOMES),
  reasons: z.string(),
  monthlyAmount: z.string().optional(),
  by: z.string(),
  role: z.string(),
  on: z.string(),
  followUp: z
    .string()
    .describe('none, case_rate_changed, case_stopped, restart_by_township, case_not_running'),
});

/** A check task as the check's workflow answers a finding. */
export const spotCheckViewSchema = z
  .object({
    checkId: z.string(),
    roundId: z.string(),
    applicationId: z.string(),
    caseId: z.string().nullable(),
    villageCode: z.string(),
    decision: z.enum(['approved', 'rejected']),
    closeRelative: z.boolean(),
    openedOn: z.string(),
    due: z.object({ date: z.string(), provisional: z.boolean() }),
    atRiskOn: z.string(),
    atRisk: z.boolean(),
    overdue: z.boolean(),
    finding: finding.optional(),
  })
  .meta({ id: 'SpotCheck' });

/** A check task as the read model lists it. */
const checkRow = z.object({
  checkId: z.string(),
  roundId: z.string(),
  applicationId: z.string(),
  caseId: z.string().nullable(),
  villageCode: z.string(),
  decision: z.string(),
  decidedOn: z.string(),
  decidedBy: z.string(),
  closeRelative: z.boolean(),
  openedOn: z.string(),
  dueOn: z.string(),
  dueProvisional: z.boolean(),
  atRiskOn: z.string(),
  atRisk: z.boolean(),
  overdue: z.boolean(),
  outcome: z.enum(SPOT_CHECK_OUTCOMES).nullable(),
  reasons: z.string().nullable(),
  monthlyAmount: z.string().nullable(),
  foundBy: z.string().nullable(),
  foundOn: z.string().nullable(),
  followUp: z.string().nullable(),
});

export const spotCheckRoundSchema = z
  .object({
    roundId: z.string(),
    countyCode: z.string(),
    month: z.string(),
    nonce: z
      .string()
      .describe('Generated once by the round; seed = sha256("<county>|<month>|<nonce>") in hex'),
    seed: z.string(),
    decisionRatio: z.string(),
    closeRelativeRatio: z.string(),
    parameterVersion: z.string().nullable(),
    populationSize: z.number(),
    population: z
      .array(decisionUnit)
      .describe('The township decisions of the month, in application-id order'),
    drawn: z
      .array(z.string())
      .describe('Application ids drawn (domain/sampling.ts recomputes them from the seed)'),
    requested: z
      .array(decisionUnit.extend({ requestedBy: z.array(z.string()) }))
      .describe('R-O4: decisions a complaint’s finding asked to check, opened beside the draw'),
    strata: z.array(z.object({ stratum: z.string(), size: z.number(), sampled: z.number() })),
    drawnOn: z.string(),
    startedBy: z.string(),
    recordedAt: z.string(),
    checks: z.array(checkRow),
  })
  .meta({ id: 'SpotCheckRound' });
