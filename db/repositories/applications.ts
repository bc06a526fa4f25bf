import type pg from 'pg';
import { applicationClaim, type Claim } from '../../domain/enrolment';
import { countyOf, townshipOf } from '../../domain/region';
import type {
  ApplicationInput,
  ApplicationView,
  EnrolmentConflict,
  HistoryEntry,
} from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { appendAudit, historyEvent } from './audit';
import { fileCloseRelative } from './close-relatives';
import { applicationHolder, caseHolder, claim, type HeldElsewhere, move, release } from './enrolments';

// The application's read model and members, written only by the application workflow's
// activities, with what goes in the same transactions through their one writers: the enrolments
// (enrolments.ts, R-A1), the receipt's close-relative filing (close-relatives.ts, R-O1) and the
// audit trail (audit.ts, R-O6). The API reads.

export interface SaveArgs {
  input: ApplicationInput;
  view: ApplicationView;
  entries: HistoryEntry[];
  /** Guards against an older snapshot overwriting a newer one. */
  version: number;
}

export interface ApplicationRow {
  village_code: string;
  category: string;
  stage: string;
  view: ApplicationView | null;
}

async function upsertView(c: pg.PoolClient, { input, view, version }: SaveArgs) {
  const overall = view.deadlines.filter((d) => d.kind === 'overall' && !d.superseded).at(-1);
  const open = view.deadlines.filter((d) => !d.metOn && !d.superseded);
  await c.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, extended, close_relative, stage, policy_version, overall_deadline, deadline_provisional,
       at_risk, overdue, deadlines, view, view_version, received_by, residence, decided_on)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)
     ON CONFLICT (application_id) DO UPDATE SET extended = EXCLUDED.extended, stage = EXCLUDED.stage,
       close_relative = EXCLUDED.close_relative,
       residence = EXCLUDED.residence, decided_on = EXCLUDED.decided_on,
       policy_version = EXCLUDED.policy_version, overall_deadline = EXCLUDED.overall_deadline,
       deadline_provisional = EXCLUDED.deadline_provisional, at_risk = EXCLUDED.at_risk, overdue = EXCLUDED.overdue,
       deadlines = EXCLUDED.deadlines, view = EXCLUDED.view, view_version = EXCLUDED.view_version, updated_at = now()
     WHERE applications.view_version < EXCLUDED.view_version`,
    [
      input.applicationId,
      input.category,
      input.villageCode,
      townshipOf(input.villageCode),
      countyOf(input.villageCode),
      input.acceptedOn,
      input.delegated,
      view.extended,
      // R-O1: ticked at receipt, or named by the close-relative roster since.
      input.closeRelative || (view.rosterFilings?.length ?? 0) > 0,
      view.stage,
      view.policyVersion,
      overall?.date ?? null,
      view.deadlines.some((d) => d.provisional && !d.superseded && !d.metOn),
      open.some((d) => d.atRisk),
      open.some((d) => d.overdue),
      JSON.stringify(view.deadlines),
      JSON.stringify(view),
      version,
      input.receivedBy.sub,
      (view.investigation?.household ?? input.household).residence,
      // R-A6: the decision's date, for SLA compliance by month (GET /v1/supervision/sla).
      view.stage === 'approved' || view.stage === 'rejected' ? (view.decision?.on ?? null) : null,
    ],
  );
}

/** R-O6: one audit event per history entry, with the parameter version the step used. */
const auditEvents = (applicationId: string, policyVersion: string, entries: HistoryEntry[]) =>
  entries.map((e) =>
    historyEvent('application', applicationId, e, { stage: e.stage, ...(e.details ?? {}) }, policyVersion),
  );

/** R-O1: what the register shows of a receipt filing: the member (by name), whom, and how. */
function filingDetails(input: ApplicationInput) {
  const f = input.closeRelativeFiling;
  const member = f && input.household.members.find((m) => m.idNumber === f.memberIdNumber);
  return {
    villageCode: input.villageCode,
    ...(f && member
      ? {
          member: { idNumber: member.idNumber, name: member.name },
          relatedTo: f.relatedTo,
          relation: f.relation,
        }
      : {}),
  };
}

/** Rolls the receipt back (thrown inside its transaction). */
class Refused extends Error {
  constructor(readonly conflict: EnrolmentConflict) {
    super('already enrolled');
  }
}

export function applicationsRepository(pool: pg.Pool) {
  return {
    /**
     * R-A1: the receipt in one transaction: the application, its members and their enrolments under
     * the partial unique index, the close-relative filing (R-O1) and the first audit entries. A
     * member held by another application or case rolls it all back and names the holder. Run again
     * after a commit, it finds its own rows and answers the same.
     */
    async receive(args: SaveArgs & { filedOn: string }): Promise<{ refused?: EnrolmentConflict }> {
      const { input } = args;
      const id = input.applicationId;
      const members = input.household.members;
      return inTransaction(pool, async (c) => {
        await upsertView(c, args);
        await c.query(
          `INSERT INTO application_members (application_id, id_number, name, relation)
           SELECT $1, i, n, r FROM unnest($2::text[], $3::text[], $4::text[]) AS t(i, n, r)
           ON CONFLICT DO NOTHING`,
          [id, members.map((m) => m.idNumber), members.map((m) => m.name), members.map((m) => m.relation)],
        );
        const held = await claim(c, applicationHolder(id), applicationClaim(input.category, input.household));
        if (held) {
          const name = members.find((m) => m.idNumber === held.idNumber)?.name ?? '';
          throw new Refused({ ...held, name });
        }
        if (input.closeRelative) {
          await fileCloseRelative(c, {
            subjectKind: 'application',
            subjectId: id,
            occasion: 'receipt',
            filedOn: args.filedOn,
            filedBy: input.receivedBy.sub,
            source: 'clerk',
            details: filingDetails(input),
          });
        }
        await appendAudit(c, auditEvents(id, args.view.policyVersion, args.entries));
        return {};
      }).catch((err) => {
        if (err instanceof Refused) return { refused: err.conflict };
        throw err;
      });
    },

    /** The read model and audit trail after a step (R-O6); a closed procedure releases its members. */
    async save(args: SaveArgs) {
      await inTransaction(pool, async (c) => {
        await upsertView(c, args);
        await appendAudit(c, auditEvents(args.input.applicationId, args.view.policyVersion, args.entries));
        // R-E2: an approved marginal household is registered, never made a case: nobody stays held.
        const closedWithoutCase =
          args.view.stage === 'rejected' ||
          args.view.stage === 'withdrawn' ||
          (args.view.stage === 'approved' && args.view.opinion?.category === 'marginal');
        if (closedWithoutCase) await release(c, applicationHolder(args.input.applicationId));
      });
    },

    /**
     * R-A8: approval records the case row and its first entitlement and moves the case's persons
     * from the application to the case (R-A1), releasing the application's others (a one-person
     * enrolment, R-E3/R-E4) — in one transaction, or nothing when a person is held by a third
     * holder. Run again after its commit, it finds its own rows and answers the same.
     */
    async recordApproval(a: {
      input: ApplicationInput;
      view: ApplicationView;
      caseId: string;
      members: { idNumber: string; name: string; relation: string }[];
      claim: Claim;
    }): Promise<{ refused?: HeldElsewhere }> {
      const { input, view, caseId } = a;
      const decision = view.decision!;
      const amount = decision.monthlyAmount ?? '0.00';
      return inTransaction(pool, async (c) => {
        const refused = await move(c, applicationHolder(input.applicationId), caseHolder(caseId), a.claim);
        if (refused) return { refused };
        await c.query(
          `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
             monthly_amount, start_month, approved_on, approved_by, members, persons)
           VALUES ($1,$2,$3,$4,$5,$6,'active',$7,$8,$9,$10,$11,$12) ON CONFLICT (case_id) DO NOTHING`,
          [
            caseId,
            input.applicationId,
            view.opinion?.category ?? input.category,
            input.villageCode,
            townshipOf(input.villageCode),
            countyOf(input.villageCode),
            amount,
            decision.startMonth,
            decision.on,
            decision.by,
            JSON.stringify(
              a.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
            ),
            a.members.length,
          ],
        );
        await c.query(
          `INSERT INTO entitlements (entry_key, case_id, effective_month, monthly_amount, reason, parameter_version)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (entry_key) DO NOTHING`,
          [
            `${caseId}:${decision.startMonth}:approval`,
            caseId,
            decision.startMonth,
            amount,
            'approval (R-A8)',
            view.policyVersion,
          ],
        );
        return {};
      });
    },

    /** Village, stage and the last saved view of an application (the API's reach check and fallback). */
    async find(applicationId: string, withView = true): Promise<ApplicationRow | undefined> {
      // A staff step needs only the reach and the stage, not the whole stored view.
      const { rows } = await pool.query(
        `SELECT village_code, category, stage${withView ? ', view' : ', NULL AS view'} FROM applications WHERE application_id = $1`,
        [applicationId],
      );
      return rows[0];
    },
  };
}
