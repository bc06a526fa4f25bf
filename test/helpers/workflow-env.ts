import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { payrollActivities } from '../../activities/payroll';
import { spotCheckActivities } from '../../activities/spot-checks';
import { matchRoster, type RosterEntry } from '../../domain/close-relative-roster';
import { compare, sub, sum, toMoney } from '../../domain/money';
import type { ApplicationView, HistoryEntry } from '../../workflows/contracts';
import { testDataConverter, testEnv } from './env';
import { overlapMeter } from './overlap';
import { createTimeSkippingEnv } from './time-skipping';

/** In-memory stand-ins for the activities: they record what the workflow asked for. */
export function fakeActivities() {
  const calls = {
    saved: [] as { view: ApplicationView; entries: HistoryEntry[]; version: number }[],
    cases: [] as string[],
    notices: [] as Parameters<Activities['issueNotice']>[0][],
    alerts: [] as Parameters<Activities['notifySupervisor']>[0][],
    grants: [] as Parameters<Activities['recordTemporaryGrant']>[0][],
    caseSaves: [] as Parameters<Activities['saveCase']>[0][],
    rates: [] as Parameters<Activities['recordRate']>[0][],
    months: [] as Parameters<Activities['recordMonth']>[0][],
    adjustments: [] as Parameters<Activities['recordAdjustment']>[0][],
    /** R-O1: the county's roster the checks read (tests set it), and every check with what it filed. */
    roster: [] as RosterEntry[],
    rosterChecks: [] as (Parameters<Activities['checkCloseRelatives']>[0] & { filed: boolean })[],
    deathNotices: [] as Parameters<Activities['recordDeathNotice']>[0][],
    complaintSaves: [] as Parameters<Activities['saveComplaint']>[0][],
    /** R-M10: what each recovery key has been offset by a payroll. */
    settled: new Map<string, string>(),
    /** R-M10: a payroll offsets every recovery in full as soon as it is recorded (tests set it). */
    offsetAtOnce: false,
    demands: [] as Parameters<Activities['saveDemand']>[0][],
    /** R-M10: recovery keys a demand has taken over (claimed once, as `demand_id` does). */
    claimed: new Set<string>(),
    /** R-M2: kept death notices by ID number, as waitingDeathNotices answers a starting case. */
    waitingNotices: new Map<string, Awaited<ReturnType<Activities['waitingDeathNotices']>>>(),
    /** Case ids listOpenCases pages through (R-M8 fan-out tests set it). */
    openCases: [] as string[],
    /** Versions newerPolicies answers with (R-M8 catch-up at case start). */
    newerPolicies: [] as Awaited<ReturnType<Activities['newerPolicies']>>,
    /** R-L1: findings the application and case workflows sent to the register; its saves. */
    registerFindings: [] as Parameters<Activities['registerFinding']>[0][],
    registerSaves: [] as Parameters<Activities['saveRegister']>[0][],
    registerApplications: [] as Parameters<Activities['openRegisterApplication']>[0][],
    /** Inputs of imported cases by case id, as the stored batch would give them (recorded histories). */
    imported: new Map<string, Awaited<ReturnType<Activities['importedCaseInput']>>>(),
    /** R-A1: persons already held elsewhere (a receipt naming one is refused). */
    held: new Map<string, { holderKind: 'application' | 'case'; holderId: string }>(),
    /** R-A1: what the workflows asked the enrolment module to hold (investigations, member changes). */
    holds: [] as Parameters<Activities['holdEnrolments']>[0][],
    /** R-A10: temporary-assistance saves, recorded grants (by request), payments and bank results. */
    temporarySaves: [] as Parameters<Activities['saveTemporaryAssistance']>[0][],
    temporaryGrants: new Map<string, Parameters<Activities['reserveTemporaryGrant']>[0]>(),
    temporaryPayments: [] as Parameters<Activities['payTemporaryGrant']>[0][],
    temporaryResults: [] as Parameters<Activities['applyTemporaryPaymentResult']>[0][],
    referralAnswers: [] as Parameters<Activities['answerTemporaryReferral']>[0][],
    /** R-O7: the retention purges asked for. */
    purges: [] as Parameters<Activities['purgeExpiredCopies']>[0][],
    /** Which of the application's saves and roster checks ran at the same time. */
    overlap: overlapMeter(),
  };
  // The payroll is tested against Postgres with the real activities; here they only refuse.
  const payroll = new Proxy({} as ReturnType<typeof payrollActivities>, {
    get: (_t, name) => async () => {
      throw new Error(`${String(name)} is not faked`);
    },
  });
  const activities: Activities = {
    ...(Object.fromEntries(
      Object.keys(payrollActivities({} as never)).map((k) => [k, Reflect.get(payroll, k)]),
    ) as ReturnType<typeof payrollActivities>),
    // R-O2 spot checks are tested against Postgres with the real activities, like the payroll.
    ...(Object.fromEntries(
      Object.keys(spotCheckActivities({} as never)).map((k) => [k, Reflect.get(payroll, k)]),
    ) as ReturnType<typeof spotCheckActivities>),
    loadApplicationContext: async () => {
      throw new Error('not used by the workflow');
    },
    purgeExpiredCopies: async (a) => {
      calls.purges.push(a);
      return { idempotencyKeys: 2, importHouseholds: 1 };
    },
    recordImportOutcomes: async () => {
      throw new Error('imports are tested end to end');
    },
    startImportedCases: async () => {
      throw new Error('imports are tested end to end');
    },
    importedCaseInput: async (ref) => {
      const input = calls.imported.get(ref.caseId);
      if (!input) throw new Error('imports are tested end to end');
      return input;
    },
    importedCaseStart: async (ref) => {
      const input = calls.imported.get(ref.caseId);
      if (!input) throw new Error('imports are tested end to end');
      const waiting = input.members.flatMap((m) => calls.waitingNotices.get(m.idNumber) ?? []);
      return { input, newerPolicies: calls.newerPolicies, waitingDeathNotices: waiting };
    },
    receiveApplication: async (a) => {
      const member = a.input.household.members.find((m) => calls.held.has(m.idNumber));
      if (member) {
        const holder = calls.held.get(member.idNumber)!;
        return { refused: { idNumber: member.idNumber, name: member.name, ...holder } };
      }
      calls.saved.push({ view: a.view, entries: a.entries, version: a.version });
      return {};
    },
    holdEnrolments: async ({ holder, claim }) => {
      calls.holds.push({ holder, claim });
      const id = claim.idNumbers.find((i) => {
        const h = calls.held.get(i);
        return h && !(h.holderKind === holder.kind && h.holderId === holder.id);
      });
      return id === undefined ? {} : { refused: { idNumber: id, ...calls.held.get(id)! } };
    },
    saveApplication: async (a) => {
      await calls.overlap.run('saveApplication');
      calls.saved.push({ view: a.view, entries: a.entries, version: a.version });
    },
    recordCase: async (a) => {
      if ('imported' in a) throw new Error('imports are tested end to end');
      calls.cases.push(a.input.applicationId);
      return { caseId: a.input.applicationId };
    },
    issueNotice: async (a) => {
      calls.notices.push(a);
      return { noticeId: `N-${a.subjectId}` };
    },
    recordTemporaryGrant: async (a) => {
      calls.grants.push(a);
    },
    notifySupervisor: async (a) => {
      calls.alerts.push(a);
    },
    saveCase: async (a) => {
      calls.caseSaves.push(structuredClone(a));
    },
    recordRate: async (a) => {
      if (!calls.rates.some((r) => r.entry.key === a.entry.key)) calls.rates.push(a);
    },
    recordMonth: async (a) => {
      if (!calls.months.some((m) => m.caseId === a.caseId && m.month.month === a.month.month))
        calls.months.push(a);
    },
    recordAdjustment: async (a) => {
      if (!calls.adjustments.some((x) => x.adjustment.key === a.adjustment.key)) calls.adjustments.push(a);
      if (calls.offsetAtOnce) calls.settled.set(a.adjustment.key, a.adjustment.amount);
    },
    saveComplaint: async (a) => {
      calls.complaintSaves.push(structuredClone(a));
    },
    checkCloseRelatives: async (a) => {
      await calls.overlap.run('checkCloseRelatives');
      const matches = matchRoster(a.members, calls.roster, [a.on, a.filedOn]);
      const filed = matches.length > 0 || a.fileAnyway === true;
      calls.rosterChecks.push({ ...structuredClone(a), filed });
      return { matches, filed };
    },
    listOpenCases: async ({ afterCaseId, limit }) => {
      const sorted = [...calls.openCases].sort();
      return sorted.filter((id) => afterCaseId === undefined || id > afterCaseId).slice(0, limit);
    },
    newerPolicies: async () => calls.newerPolicies,
    recordDeathNotice: async (a) => {
      calls.deathNotices.push(a);
    },
    waitingDeathNotices: async ({ idNumbers }) =>
      idNumbers.flatMap((id) => calls.waitingNotices.get(id) ?? []),
    // R-M10: the open part of the case's recoveries (amount less what a payroll offset), once.
    claimOpenRecoveries: async ({ caseId }) => {
      const open = calls.adjustments
        .filter(
          (x) =>
            x.caseId === caseId && x.adjustment.kind === 'recovery' && !calls.claimed.has(x.adjustment.key),
        )
        .map((x) => ({
          a: x.adjustment,
          open: sub(x.adjustment.amount, calls.settled.get(x.adjustment.key) ?? '0'),
        }))
        .filter((x) => compare(x.open, 0) > 0);
      if (!open.length) return null;
      for (const x of open) calls.claimed.add(x.a.key);
      return {
        amount: toMoney(sum(open.map((x) => x.open))),
        months: [...new Set(open.flatMap((x) => x.a.months))].sort(),
        adjustmentKeys: open.map((x) => x.a.key),
        reasons: open.map((x) => x.a.reason),
      };
    },
    saveDemand: async (a) => {
      calls.demands.push(structuredClone(a));
    },
    registerFinding: async (f) => {
      calls.registerFindings.push(f);
      return { householdKey: 'Hfake' };
    },
    saveRegister: async (a) => {
      calls.registerSaves.push(structuredClone(a));
    },
    openRegisterApplication: async (a) => {
      calls.registerApplications.push(a);
      return { applicationId: `A-from-${a.visitId}` };
    },
    ...fakeTemporaryAssistance(calls),
  };
  return { activities, calls };
}

/** R-A10: the household's grants of a year as the repository sums them, the payment once per request. */
function fakeTemporaryAssistance(calls: {
  temporarySaves: Parameters<Activities['saveTemporaryAssistance']>[0][];
  temporaryGrants: Map<string, Parameters<Activities['reserveTemporaryGrant']>[0]>;
  temporaryPayments: Parameters<Activities['payTemporaryGrant']>[0][];
  temporaryResults: Parameters<Activities['applyTemporaryPaymentResult']>[0][];
  referralAnswers: Parameters<Activities['answerTemporaryReferral']>[0][];
}): Pick<
  Activities,
  | 'saveTemporaryAssistance'
  | 'reserveTemporaryGrant'
  | 'payTemporaryGrant'
  | 'applyTemporaryPaymentResult'
  | 'answerTemporaryReferral'
> {
  return {
    saveTemporaryAssistance: async (a) => {
      calls.temporarySaves.push(structuredClone(a));
    },
    reserveTemporaryGrant: async (a) => {
      const before = toMoney(
        sum(
          [...calls.temporaryGrants.values()]
            .filter(
              (g) => g.assistanceId !== a.assistanceId && g.decidedOn.slice(0, 4) === a.decidedOn.slice(0, 4),
            )
            .filter((g) => g.idNumbers.some((i) => a.idNumbers.includes(i)))
            .map((g) => g.amount),
        ),
      );
      const over =
        compare(a.amount, a.limits.perGrant) > 0 ||
        compare(sum([before, a.amount]), a.limits.perHouseholdYear) > 0;
      if (a.level === 'township' && over) return { refused: true, grantedThisYear: before };
      calls.temporaryGrants.set(a.assistanceId, a);
      return { refused: false, grantedThisYear: before };
    },
    payTemporaryGrant: async (a) => {
      if (!calls.temporaryPayments.some((p) => p.assistanceId === a.assistanceId))
        calls.temporaryPayments.push(a);
      return { lineId: `${a.assistanceId}:grant`, fileName: `${a.assistanceId}.csv` };
    },
    answerTemporaryReferral: async (a) => {
      calls.referralAnswers.push(a);
      return { answered: true };
    },
    applyTemporaryPaymentResult: async (r) => {
      const seen = calls.temporaryResults.some((x) => x.resultId === r.resultId);
      calls.temporaryResults.push(r);
      return seen ? 'duplicate' : 'applied';
    },
  };
}

export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  calls: ReturnType<typeof fakeActivities>['calls'];
  stop(): Promise<void>;
}

/** One time-skipping server and one worker per test file (STYLE.md). */
export async function startWorkflowHarness(): Promise<WorkflowHarness> {
  const env = await createTimeSkippingEnv();
  const { activities, calls } = fakeActivities();
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
    activities,
    dataConverter: testDataConverter(),
  });
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    calls,
    stop: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
