import { z } from 'zod';
import { DEMAND_STATUSES } from '../../workflows/contracts';

// R-M10 repayment demands as the case keeps them and as the payments view lists them.

const actorSchema = z.object({ sub: z.string(), role: z.string(), region: z.string().optional() });

export const demandStepSchema = z.discriminatedUnion('kind', [
  z.object({
    stepId: z.string(),
    kind: z.literal('repayment'),
    amount: z.string(),
    paidOn: z.string(),
    reference: z.string(),
    by: actorSchema,
  }),
  z.object({
    stepId: z.string(),
    kind: z.literal('write_off'),
    amount: z.string(),
    decidedOn: z.string(),
    decisionRef: z.string(),
    reasons: z.string(),
    by: actorSchema,
  }),
]);

export const demandSchema = z
  .object({
    demandId: z.string(),
    amount: z.string().describe('What the demand took over: the recoveries no payment could offset'),
    months: z.array(z.string()),
    reasons: z.string(),
    issuedOn: z.string(),
    noticeId: z.string().nullish().describe('The written demand (GET /v1/notices/{id})'),
    status: z.enum(DEMAND_STATUSES),
    repaid: z.string(),
    writtenOff: z.string(),
    steps: z.array(demandStepSchema),
    closedOn: z.string().nullish(),
  })
  .meta({ id: 'RepaymentDemand' });

export const demandLineSchema = z.object({
  demandId: z.string(),
  amount: z.string(),
  months: z.array(z.string()),
  reasons: z.string(),
  issuedOn: z.string(),
  noticeId: z.string().nullable(),
  status: z.enum(DEMAND_STATUSES),
  repaid: z.string(),
  writtenOff: z.string(),
  outstanding: z.string(),
  steps: z.array(z.unknown()),
  closedOn: z.string().nullable(),
});
