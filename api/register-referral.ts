import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { temporaryAssistanceId } from '../clients/temporary-assistance';
import type { RegisterRow } from '../db/repositories/register';
import { countyOf } from '../domain/region';
import type { Actor } from '../domain/roles';
import type { TemporaryAssistanceInput, TemporaryAssistanceView } from '../workflows/contracts';
import { ProblemError } from './problem';
import { registerViewSchema } from './schemas/register';
import type { referralAssistanceSchema } from './schemas/temporary-assistance';
import { receiveAssistance } from './temporary-assistance-receipt';

// R-L3 → R-A10: a registered household's need referred to temporary assistance opens its request,
// received like any other (update-with-start of `temporary-assistance:<id>`), where the household
// is registered, by the staff member who referred it. The request's id derives from the household
// and the referral, so a retried referral opens the same request; the request answers the
// referral when it is decided.

/** The referral's answer: the register's view, and the request a referral to temporary assistance opened. */
export const referralAnswerSchema = z
  .object({
    ...registerViewSchema.shape,
    temporaryAssistanceId: z
      .string()
      .optional()
      .describe('R-A10: the request a referral to temporary assistance opened'),
  })
  .meta({ id: 'RegisterReferralAnswerView' });

/**
 * Checks the request against the household (the person who asks is one of its members, 422
 * otherwise, nothing recorded) and answers how to open it once the referral is recorded.
 */
export async function referralAssistance(
  app: FastifyInstance,
  row: RegisterRow,
  referral: { referralId: string; referredOn: string },
  asked: z.output<typeof referralAssistanceSchema>,
  actor: Actor,
): Promise<() => Promise<TemporaryAssistanceView>> {
  const members = row.view.members;
  const person = members.find((m) => m.idNumber === asked.personIdNumber);
  if (!person)
    throw new ProblemError(
      422,
      'not-a-member',
      'Not a member',
      'temporaryAssistance.personIdNumber names no member of this household',
    );
  if (asked.occurredOn > referral.referredOn)
    throw new ProblemError(
      422,
      'invalid-step',
      'Inconsistent step',
      'the hardship happened after the referral',
    );
  const county = countyOf(row.villageCode);
  const token = createHash('sha256')
    .update(`referral:${row.householdKey}:${referral.referralId}`)
    .digest('hex');
  const input: TemporaryAssistanceInput = {
    assistanceId: temporaryAssistanceId(county, referral.referredOn, token),
    villageCode: row.villageCode,
    residence: asked.residence,
    members: [person, ...members.filter((m) => m !== person)],
    hardshipKind: asked.hardshipKind,
    hardship: asked.hardship,
    occurredOn: asked.occurredOn,
    ...(asked.unemployment ? { unemployment: asked.unemployment } : {}),
    amountAsked: asked.amountAsked,
    receivedOn: referral.referredOn,
    receivedBy: actor,
    source: { kind: 'referral', householdId: row.householdKey, referralId: referral.referralId },
    limits: await app.repos.temporaryAssistanceLimits.inForce(county, referral.referredOn),
    runtimeYears: await app.repos.calendar.runtimeYears(),
  };
  return () => receiveAssistance(app, input, token);
}
