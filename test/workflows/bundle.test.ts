import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { EnhancedStackTrace } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import {
  DEFAULT_STACK_FRAMES,
  PRELOADED_DOMAIN_MODULES,
  PRODUCTION_STACK_FRAMES,
  workflowBundleOptions,
} from '../../worker/bundle';
import { type ComplaintInput, complaintReceiptUpdate, complaintWorkflowId } from '../../workflows/contracts';
import { testDataConverter } from '../helpers/env';
import { actor, COUNTY, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';
import { fakeActivities } from '../helpers/workflow-env';

// What the bundle holds is paid per workflow: every workflow evaluates the bundle's modules again in
// the worker's V8 context, except those preloaded once per workflow thread (worker/bundle.ts). zod
// (the API's schemas) once made a sixth of a new case's first task: the domain modules that
// workflows import hold the rules, their schemas live in domain/*-schema.ts, which no workflow
// imports. The domain modules are preloaded; the sandbox's stack depth (workflows/sandbox.ts)
// bounds the stack the SDK captures for every promise.

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };
let code: string;
let modules: string[];
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  ({ code } = await bundleWorkflowCode({
    ...workflowBundleOptions({ stackFrames: PRODUCTION_STACK_FRAMES }),
    logger: silent as never,
  }));
  modules = [...code.matchAll(/\/\*\*\*\/ "([^"]+)"/g)].map((m) => m[1]!);
}, 240_000);
afterAll(async () => {
  await env?.teardown();
});

describe('the workflow bundle', () => {
  it('holds no zod and no API schema module', () => {
    expect(modules.length).toBeGreaterThan(50);
    expect(modules).toContain('./workflows/case/workflow.ts');
    expect(modules.filter((m) => m.includes('node_modules/zod/'))).toEqual([]);
    expect(modules.filter((m) => m.endsWith('-schema.ts') || m.startsWith('./api/'))).toEqual([]);
  });

  it('preloads every domain module the workflows import, once per workflow thread', () => {
    const domain = modules.filter((m) => m.startsWith('./domain/')).sort();
    expect(domain).toEqual(PRELOADED_DOMAIN_MODULES.map((m) => `./domain/${m}.ts`).sort());
    // The entry's preload function requires them (and the sandbox's settings) before any workflow.
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    const preloaded = [...preload.matchAll(/\/\*! (\S+) \*\//g)].map((m) => m[1]);
    expect(preloaded.sort()).toEqual([...domain, './workflows/sandbox.ts'].sort());
  });
});

describe('preloaded domain modules and the stack depth (worker/bundle.ts, workflows/sandbox.ts)', () => {
  /** What test/workflows/fixtures/preload-probe.ts reports on a worker of `bundle`. */
  async function probe(bundle: { code: string }) {
    const taskQueue = `preload-${Math.random().toString(36).slice(2)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
    });
    return worker.runUntil(env.client.workflow.execute('preloadProbe', { taskQueue, workflowId: taskQueue }));
  }
  const workflowsPath = join(import.meta.dirname, 'fixtures', 'preload-probe.ts');

  it('a workflow that mutates a preloaded domain module’s export throws (deep-frozen), and the production depth applies', async () => {
    const bundle = await bundleWorkflowCode({
      ...workflowBundleOptions({ stackFrames: PRODUCTION_STACK_FRAMES }),
      workflowsPath,
      logger: silent as never,
    });
    expect(await probe(bundle)).toEqual({ mutation: 'TypeError', stackTraceLimit: PRODUCTION_STACK_FRAMES });
  }, 180_000);

  it('the SDK’s default bundle (nothing preloaded) lets the mutation pass and keeps V8’s depth', async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath, logger: silent as never });
    expect(await probe(bundle)).toEqual({ mutation: 'mutated', stackTraceLimit: DEFAULT_STACK_FRAMES });
  }, 180_000);

  it('a waiting workflow on a production bundle still answers the UI’s stack-trace query', async () => {
    const stacks = await waitingStacks({ code });
    expect(stacks.length).toBeGreaterThan(0);
    for (const n of stacks) expect(n).toBeGreaterThan(0);
  }, 120_000);
});

/** A received complaint waiting on its timers, on a worker of `bundle`: its promises' stack lengths. */
async function waitingStacks(bundle: { code: string }) {
  const taskQueue = `stacks-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: fakeActivities().activities,
    dataConverter: testDataConverter(),
  });
  return worker.runUntil(async () => {
    const complaintId = `C${COUNTY}20260101${Math.random().toString(16).slice(2, 14).toUpperCase().padEnd(12, '0')}`;
    const input: ComplaintInput = {
      complaintId,
      source: 'hotline_12345',
      receivedOn: '2026-03-02',
      complainant: { anonymous: true },
      subject: { kind: 'village', id: VILLAGE },
      villageCode: VILLAGE,
      summary: 'the list was not posted',
      receivedBy: actor('township_staff', undefined, 'clerk-1'),
      deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
      runtimeYears: [],
    };
    const handle = await env.client.workflow.start('complaintWorkflow', {
      taskQueue,
      workflowId: complaintWorkflowId(complaintId),
      args: [input],
    });
    await handle.executeUpdate(complaintReceiptUpdate);
    const trace = await handle.query<EnhancedStackTrace>('__enhanced_stack_trace');
    await handle.terminate();
    return trace.stacks.map((s) => s.locations.length);
  });
}
