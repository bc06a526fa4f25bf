import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { stringify } from 'csv-stringify/sync';
import type { ReserveGrantArgs, SaveTemporaryAssistanceArgs } from '../db/repositories/temporary-assistance';
import type { TemporaryResult } from '../db/repositories/temporary-payments';
import type { CivilDate, YearMonth } from '../domain/dates';
import type { Money } from '../domain/money';
import { countyOf } from '../domain/region';
import type { Actor } from '../domain/roles';
import { type PaymentResultOutcome, referralAnswerUpdate, registerWorkflowId } from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';

// Side effects of the temporary-assistance workflow (R-A10), each idempotent: the read model and its
// audit events (version-guarded, one event per history entry), the yearly-limit check that records
// the grant, the payment (ledger row, bank line and file, keyed by the request), the bank's result
// (once per result id). Notices and supervisor flags go through the shared activities.

export function temporaryAssistanceActivities(deps: ActivityDeps) {
  const repos = reposOf(deps);
  const { paymentFilesDir = '.data/payment-files' } = deps;
  return {
    async saveTemporaryAssistance(args: SaveTemporaryAssistanceArgs): Promise<void> {
      await repos.temporaryAssistance.save(args);
    },

    /** R-A10: the household's grants of the year, and this one recorded unless the township may not. */
    async reserveTemporaryGrant(args: ReserveGrantArgs) {
      return repos.temporaryAssistance.reserveGrant(args);
    },

    /**
     * R-A10, R-M1: paid at once, exactly once: the ledger row and the bank line (one transaction,
     * keyed by the request), then the bank file of that one line under
     * `<county>/temporary-assistance/<id>.csv` in the payroll's layout, written atomically (the same
     * bytes on a retry).
     */
    async payTemporaryGrant(args: {
      assistanceId: string;
      amount: Money;
      month: YearMonth;
    }): Promise<{ lineId: string; fileName: string }> {
      const line = await repos.temporaryPayments.pay(args.assistanceId, args.amount, args.month);
      const fileName = join(
        args.assistanceId.slice(1, 7),
        'temporary-assistance',
        `${args.assistanceId}.csv`,
      );
      const path = join(paymentFilesDir, fileName);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(
        `${path}.tmp`,
        stringify([[line.lineId, line.cardNumber, line.payeeName, line.amount, line.months]], {
          header: true,
          columns: ['line_id', 'card_number', 'name', 'amount', 'months'],
        }),
      );
      await rename(`${path}.tmp`, path);
      return { lineId: line.lineId, fileName };
    },

    /**
     * R-L3: the register's referral that opened the request, answered with its decision (an Update
     * of the household's entry, named by the request: a retry is the same Update). A referral
     * answered meanwhile by hand, or an entry no longer there, is left as it is.
     */
    async answerTemporaryReferral(args: {
      villageCode: string;
      householdKey: string;
      referralId: string;
      assistanceId: string;
      outcome: 'provided' | 'declined';
      answer: string;
      answeredOn: CivilDate;
      actor: Actor;
    }): Promise<{ answered: boolean }> {
      const client = deps.temporal ?? Context.current().client;
      const entry = client.workflow.getHandle(
        registerWorkflowId(countyOf(args.villageCode), args.householdKey),
      );
      try {
        await entry.executeUpdate(referralAnswerUpdate, {
          updateId: `temporary-assistance:${args.assistanceId}`,
          args: [
            {
              actor: args.actor,
              referralId: args.referralId,
              outcome: args.outcome,
              answer: args.answer,
              answeredOn: args.answeredOn,
            },
          ],
        });
        return { answered: true };
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)
          return { answered: false };
        throw err;
      }
    },

    /** R-M1: the bank's result for the grant's line, applied once and in the bank's order. */
    async applyTemporaryPaymentResult(args: TemporaryResult): Promise<PaymentResultOutcome> {
      return repos.temporaryPayments.applyResult(args);
    },
  };
}
