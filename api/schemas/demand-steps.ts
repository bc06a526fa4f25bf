import { z } from 'zod';
import { moneySchema } from '../../domain/money-schema';
import { caseIdParams, notFuture, text } from './cases';

// R-M10: the county's steps on a repayment demand.

export const demandParams = caseIdParams.extend({
  demandId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a demand id'),
});

export const repaymentBody = z
  .object({
    amount: moneySchema.describe('Repaid (yuan, two decimals); not more than is still owed'),
    paidOn: notFuture('paidOn'),
    reference: text('reference').describe('Receipt or bank reference of the repayment'),
  })
  .strict()
  .meta({ id: 'DemandRepayment' });

export const writeOffBody = z
  .object({
    decidedOn: notFuture('decidedOn'),
    decisionRef: text('decisionRef').describe("The county's recorded decision (文号)"),
    reasons: text('reasons'),
  })
  .strict()
  .meta({ id: 'DemandWriteOff' });
