import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { roundingRuleSchema } from '../../domain/money-schema';
import {
  assetLimitsSchema,
  defaultPolicy,
  employmentCostSchema,
  expenseDeductionsSchema,
  extremePovertySchema,
  incomeExemptionsSchema,
  marginalFactorSchema,
  type PolicyParameters,
  paymentSchema,
  policyParametersSchema,
  positiveMoney,
  reviewSchema,
  selectEffective,
  spotCheckSchema,
} from '../../domain/policy';
import { countyCodeSchema } from '../../domain/region-schema';
import { standardAdjustmentWorkflowId } from '../../workflows/contracts';
import type { standardAdjustmentWorkflow } from '../../workflows/standard/workflow';
import { assertCoversCounty } from '../plugins/auth';
import { badRequest, notFound, problemResponses } from '../problem';
import { civilDate } from '../schemas/applications';

const DEADLINE_KEYS = Object.keys(DEFAULT_DEADLINE_PARAMETERS);

const deadlineOverrides = z
  .object(Object.fromEntries(DEADLINE_KEYS.map((k) => [k, z.int().min(0).max(400)])))
  .partial()
  .describe('Per-county deadline parameters (working days unless named otherwise)');

// Every policy parameter but the standards is optional: defaultPolicy() fills what is omitted, so
// the body reuses the domain's sub-schemas and a bad value is refused here with its field path.
const standardsBody = z
  .object({
    countyCode: countyCodeSchema,
    effectiveFrom: civilDate,
    standardUrban: positiveMoney.describe('Urban standard, per person per month (R-E1)'),
    standardRural: positiveMoney.describe('Rural standard, per person per month (R-E1)'),
    marginalFactor: marginalFactorSchema
      .optional()
      .describe(
        'Marginal households: per-capita income below this multiple of the standard (R-E2); default "1.5"',
      ),
    assetLimits: assetLimitsSchema
      .optional()
      .describe('Asset test: financial assets per capita, vehicles, extra housing (R-E1, R-E2)'),
    rounding: roundingRuleSchema
      .optional()
      .describe('How the monthly amount is rounded, once (R-E1); default 0.01 yuan, half up'),
    incomeExemptions: incomeExemptionsSchema
      .optional()
      .describe('Income kinds exempt for everyone and for a disabled adult without work (R-E4)'),
    expenseDeductions: expenseDeductionsSchema
      .optional()
      .describe('Monthly caps on rigid spending deducted from income: illness, disability, schooling (R-E5)'),
    employmentCostDeduction: employmentCostSchema
      .optional()
      .describe(
        'Employment cost deducted from earned income, a fraction or a fixed amount per earner (R-E5)',
      ),
    extremePoverty: extremePovertySchema
      .optional()
      .describe('Extreme-poverty support (R-E6); default derived from the standards and the date'),
    review: reviewSchema.optional().describe('Periodic re-review intervals and duration in months (R-M4)'),
    taperPayments: z.int().min(0).max(24).optional().describe('Payments kept after income rises (R-M3)'),
    paymentStartOffsetMonths: z
      .int()
      .min(0)
      .max(3)
      .optional()
      .describe('Months after the approval month when payment starts (R-A8)'),
    spotCheck: spotCheckSchema
      .optional()
      .describe('Share of township decisions and close-relative cases the county spot-checks (R-O2)'),
    payment: paymentSchema
      .optional()
      .describe('Bank attempts for a failed payment line before it is escalated to supervisors (R-M1)'),
    deadlines: deadlineOverrides.optional(),
  })
  .meta({ id: 'CountyStandard' });

const storedParameters = policyParametersSchema.extend({
  deadlines: z
    .object(Object.fromEntries(DEADLINE_KEYS.map((k) => [k, z.int().min(0)])))
    .describe('Deadline parameters of this version, defaults filled in'),
});

const standardVersions = z
  .object({
    countyCode: z.string(),
    versions: z
      .array(
        z.object({
          version: z.string(),
          effectiveFrom: z.string(),
          inForce: z.boolean().describe('The version in force today (R-M8)'),
          createdBy: z.string(),
          createdAt: z.string(),
          parameters: storedParameters,
        }),
      )
      .describe('Newest effective date first'),
  })
  .meta({ id: 'CountyStandardVersions' });

/** defaultPolicy() validates the whole policy; its failures are the caller's fields, not a 500. */
function validPolicy(input: Parameters<typeof defaultPolicy>[0]): PolicyParameters {
  try {
    return defaultPolicy(input);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    throw badRequest(
      'the county parameters are not valid',
      err.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
}

// API.md "Supervision, publicity, reports, policy": administrators set a county's policy (R-E*, R-M8).
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/admin/standards',
    {
      config: { roles: ['admin'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['admin'],
        summary: "A county's standard and parameters, effective-dated (R-E1, R-M8)",
        body: standardsBody,
        response: {
          200: z.object({
            countyCode: z.string(),
            version: z.string(),
            effectiveFrom: z.string(),
            unchanged: z.boolean().describe('The same parameters were already in force from that date'),
            adjustmentWorkflowId: z.string().describe('The R-M8 fan-out to the county’s open cases'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { deadlines, ...policyInput } = req.body;
      assertCoversCounty(req.user, policyInput.countyCode);
      const policy = validPolicy(policyInput);
      // R-M8: the same standard again is no new version and no new adjustment.
      const saved = await app.repos.policies.saveVersion({
        countyCode: policy.countyCode,
        effectiveFrom: policy.effectiveFrom,
        createdBy: req.user.sub,
        parameters: (version) => ({ ...policy, version, deadlines: deadlines ?? {} }),
      });
      // R-M8: every open case of the county recomputes from the effective month (one fan-out
      // workflow per version: a repeated start is the same workflow, so a PUT retried after a
      // failed start starts it then).
      const adjustmentWorkflowId = standardAdjustmentWorkflowId(saved.version);
      try {
        await app.temporalCall(() =>
          app.temporal.workflow.start<typeof standardAdjustmentWorkflow>('standardAdjustmentWorkflow', {
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            workflowId: adjustmentWorkflowId,
            args: [{ policy: { ...policy, version: saved.version } }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return {
        countyCode: policy.countyCode,
        version: saved.version,
        effectiveFrom: policy.effectiveFrom,
        unchanged: saved.unchanged,
        adjustmentWorkflowId,
      };
    },
  );

  app.get(
    '/admin/standards/:countyCode',
    {
      config: { roles: ['admin', 'supervisor', 'county_staff'] },
      schema: {
        tags: ['admin'],
        summary: "Every version of a county's standard and parameters, and which is in force (R-E1, R-M8)",
        params: z.object({ countyCode: countyCodeSchema }),
        response: { 200: standardVersions, ...problemResponses },
      },
    },
    async (req) => {
      const { countyCode } = req.params;
      assertCoversCounty(req.user, countyCode);
      // Oldest first, so that selectEffective lets a later correction with the same date win.
      const versions = await app.repos.policies.versions(countyCode);
      if (versions.length === 0) throw notFound(`county ${countyCode} has no standards`);
      const inForce = selectEffective(versions, civilDateOf(new Date()));
      return { countyCode, versions: versions.map((v) => ({ ...v, inForce: v === inForce })).reverse() };
    },
  );
};
