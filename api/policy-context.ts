import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { ApplicationInput } from '../workflows/contracts';
import { ProblemError } from './problem';

/**
 * The county's parameters in force on a date and the runtime calendar (R-O6), as a workflow is
 * started with them (a receipt, an imported case). No standard in force is the caller's 422.
 */
export async function policyContext(
  app: FastifyInstance,
  countyCode: string,
  onDate: string,
): Promise<ApplicationInput['context']> {
  try {
    const { policy, deadlines } = await app.repos.policies.inForce(countyCode, onDate);
    return { policy, deadlines, runtimeYears: await app.repos.calendar.runtimeYears() };
  } catch (err) {
    if (!(err instanceof ApplicationFailure && err.type === 'NoPolicy')) throw err;
    throw new ProblemError(
      422,
      'no-policy',
      'No policy parameters',
      `county ${countyCode} has no standard in force on ${onDate} (PUT /v1/admin/standards)`,
    );
  }
}
