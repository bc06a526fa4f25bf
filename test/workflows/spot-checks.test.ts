import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { spotCheckSeed } from '../../activities/spot-checks';
import { createRepositories } from '../../db/repositories';
import { civilDateOf } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { drawSpotChecks } from '../../domain/sampling';
import {
  spotCheckFindingUpdate,
  spotCheckItemWorkflowId,
  spotCheckRoundWorkflowId,
} from '../../workflows/contracts';
import type { spotCheckItemWorkflow } from '../../workflows/spot-check/item';
import type { spotCheckRoundWorkflow, spotCheckSchedulerWorkflow } from '../../workflows/spot-check/round';
import { until } from '../helpers/api-env';
import { freshDatabase } from '../helpers/db';
import { testDataConverter, testEnv, testIdKeys } from '../helpers/env';
import { seedDecision, seedDecisions } from '../helpers/spot-check-seed';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// R-O2 spot checks with their real activities on Postgres and the time-skipping server: the round
// draws and records, each drawn decision becomes a check task with its own deadline (R-O3).

const VILLAGE = '140802101201';
const county = { decisionRatio: '0.3', closeRelativeRatio: '0.6' };
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let pool: pg.Pool;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `spot-${Math.random().toString(36).slice(2)}`;

beforeEach(async () => {
  env = await createTimeSkippingEnv();
  db = await freshDatabase();
  pool = db.pool;
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
    activities: createActivities({ pool, idKeys: testIdKeys() }),
    dataConverter: testDataConverter(),
  });
  running = worker.run();
}, 60_000);
afterEach(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

describe('R-O2 spot-check round (time-skipping + Postgres)', () => {
  it('R-O2: a round draws ≥30% of the township decisions and ≥60% of close-relative ones, recomputable from its recorded seed', async () => {
    await seedDecisions(pool, 'A1408022026030', 40, VILLAGE, '2026-03');
    await seedDecision(pool, {
      applicationId: 'A-county',
      villageCode: VILLAGE,
      decidedOn: '2026-03-10',
      delegated: false,
    });
    await seedDecision(pool, { applicationId: 'A-april', villageCode: VILLAGE, decidedOn: '2026-04-01' });
    const result = await env.client.workflow.execute<typeof spotCheckRoundWorkflow>(
      'spotCheckRoundWorkflow',
      {
        taskQueue,
        workflowId: spotCheckRoundWorkflowId('140802', '2026-03'),
        args: [{ countyCode: '140802', month: '2026-03', startedBy: 'county-1' }],
      },
    );
    expect(result.populationSize).toBe(40); // neither the county's own decision nor April's
    const { rows } = await pool.query('SELECT * FROM spot_check_rounds');
    const round = rows[0];
    expect(round).toMatchObject({ round_id: '140802:2026-03', population_size: 40, started_by: 'county-1' });
    const close = round.population.filter((u: { closeRelative: boolean }) => u.closeRelative);
    const drawn = new Set<string>(round.drawn);
    expect(close.filter((u: { applicationId: string }) => drawn.has(u.applicationId)).length).toBe(6); // ceil(0.6 × 10)
    expect(round.drawn.length).toBe(6 + 9); // + ceil(0.3 × 30)
    expect(round.population.some((u: { decision: string }) => u.decision === 'rejected')).toBe(true);
    // Anyone can recompute: seed from county, month and the recorded nonce; draw from the population.
    expect(spotCheckSeed('140802', '2026-03', round.nonce)).toBe(round.seed);
    const again = drawSpotChecks(
      round.population.map((u: { applicationId: string; closeRelative: boolean }) => ({
        key: u.applicationId,
        closeRelative: u.closeRelative,
      })),
      county,
      round.seed,
    );
    expect(again.drawn).toEqual(round.drawn);
    // Each drawn decision is a county check task with its deadline (20 working days).
    const checks = await until(async () => {
      const r = await pool.query('SELECT application_id, due_on::text, outcome FROM spot_checks');
      return r.rows.length === 15 ? r.rows : undefined;
    }, 'every check opened');
    expect(checks.map((c) => c.application_id).sort()).toEqual(round.drawn);
    const audit = await pool.query(
      `SELECT action, actor_sub FROM audit_events WHERE subject_kind = 'spot_check' AND action = 'spot_check_drawn'`,
    );
    expect(audit.rows).toEqual([{ action: 'spot_check_drawn', actor_sub: 'county-1' }]);
  });

  it('R-O2: the monthly schedule starts one round per county with township decisions in the month', async () => {
    await seedDecisions(pool, 'A1408022026050', 3, VILLAGE, '2026-05');
    await seedDecisions(pool, 'A1408032026050', 2, '140803101201', '2026-05');
    await seedDecision(pool, {
      applicationId: 'A-140804',
      villageCode: '140804101201',
      decidedOn: '2026-05-03',
      delegated: false,
    });
    const run = () =>
      env.client.workflow.execute<typeof spotCheckSchedulerWorkflow>('spotCheckSchedulerWorkflow', {
        taskQueue,
        workflowId: `spotcheck-scheduler-${Math.random()}`,
        args: [{ month: '2026-05' }],
      });
    expect(await run()).toEqual({ started: ['140802', '140803'] });
    const rounds = await until(async () => {
      const r = await pool.query('SELECT round_id, population_size FROM spot_check_rounds ORDER BY round_id');
      return r.rows.length === 2 ? r.rows : undefined;
    }, 'both rounds recorded');
    expect(rounds).toEqual([
      { round_id: '140802:2026-05', population_size: 3 },
      { round_id: '140803:2026-05', population_size: 2 },
    ]);
    // A catch-up run of the same month starts nothing new (one round per county and month).
    expect(await run()).toEqual({ started: [] });
  });

  it('R-O2 R-O3: a check task goes at risk then overdue with supervision alerts, then takes its finding with the actor', async () => {
    await pool.query(
      `INSERT INTO spot_check_rounds (round_id, county_code, month, nonce, seed, decision_ratio, close_relative_ratio,
         population, population_size, drawn, strata, drawn_on, started_by)
       VALUES ('140802:2026-03', '140802', '2026-03', 'n', 's', '0.3', '0.6', '[]', 0, '[]', '[]', '2026-04-01', 't')`,
    );
    const openedOn = civilDateOf(new Date(await env.currentTimeMs()));
    const checkId = 'SC-A1';
    const h = await env.client.workflow.start<typeof spotCheckItemWorkflow>('spotCheckItemWorkflow', {
      taskQueue,
      workflowId: spotCheckItemWorkflowId(checkId),
      args: [
        {
          checkId,
          roundId: '140802:2026-03',
          unit: {
            applicationId: 'A1',
            caseId: null,
            villageCode: VILLAGE,
            decision: 'rejected',
            decidedOn: '2026-03-05',
            decidedBy: 'township-clerk',
            closeRelative: true,
          },
          openedOn,
          deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
          runtimeYears: [],
        },
      ],
    });
    const row = () =>
      pool.query('SELECT * FROM spot_checks WHERE check_id = $1', [checkId]).then((r) => r.rows[0]);
    await until(row, 'the check opened');
    expect(await row()).toMatchObject({ at_risk: false, overdue: false, outcome: null });
    await env.sleep('25 days'); // past the at-risk point (5 working days before 20 working days)
    await until(async () => (await row()).at_risk, 'at risk');
    await env.sleep('20 days');
    await until(async () => (await row()).overdue, 'overdue');
    const alerts = await pool.query(
      `SELECT flag, deadline_kind FROM supervision_alerts WHERE subject_id = $1 ORDER BY flag`,
      [checkId],
    );
    expect(alerts.rows).toEqual([
      { flag: 'at_risk', deadline_kind: 'spot_check' },
      { flag: 'overdue', deadline_kind: 'spot_check' },
    ]);
    // R-O3: the supervisors' overdue list shows it beside the applications and case checks.
    const repos = createRepositories(pool);
    const work = await repos.overdue.page({ region: '140802', flag: 'overdue' }, 10);
    expect(work).toEqual([
      expect.objectContaining({ kind: 'spot_check', taskId: checkId, subjectId: 'A1', overdue: true }),
    ]);
    const counts = await repos.overdue.summary({ region: '140802', flag: 'any' });
    expect(counts).toEqual([expect.objectContaining({ kind: 'spot_check', overdue: 1 })]);
    // A township clerk may not record it; a correction of a rejection is refused.
    const actor = { sub: 'county-7', role: 'county_staff' as const, region: '140802' };
    await expect(
      h.executeUpdate(spotCheckFindingUpdate, {
        args: [{ actor: { ...actor, role: 'township_staff' }, outcome: 'confirmed', reasons: 'x' }],
      }),
    ).rejects.toThrow();
    await expect(
      h.executeUpdate(spotCheckFindingUpdate, {
        args: [{ actor, outcome: 'corrected', reasons: 'x', monthlyAmount: '100.00' }],
      }),
    ).rejects.toThrow();
    const view = await h.executeUpdate(spotCheckFindingUpdate, {
      args: [{ actor, outcome: 'reversed', reasons: 'income was misread' }],
    });
    expect(view.finding).toMatchObject({
      outcome: 'reversed',
      by: 'county-7',
      followUp: 'restart_by_township',
    });
    expect(await row()).toMatchObject({
      outcome: 'reversed',
      found_by: 'county-7',
      follow_up: 'restart_by_township',
    });
    const audit = await pool.query(
      `SELECT action, actor_sub, actor_role, reason FROM audit_events WHERE subject_id = $1 AND action LIKE 'spot_check_r%'`,
      [checkId],
    );
    expect(audit.rows).toEqual([
      {
        action: 'spot_check_reversed',
        actor_sub: 'county-7',
        actor_role: 'county_staff',
        reason: 'income was misread',
      },
    ]);
    await h.result();
  });
});
