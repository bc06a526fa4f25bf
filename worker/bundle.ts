import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/env';

// The workflow bundle, one definition for every bundle built: the worker's (bundled at its start),
// the test command's (scripts/stack.ts), the history recorder's and the benches'.
//
// Preloaded modules. With a reused V8 context (WORKER_REUSE_V8_CONTEXT, the default) the SDK
// evaluates the bundle's modules again for every workflow it starts, except the modules it
// preloads once per workflow thread, before any workflow, into a cache all workflows of the thread
// share (deep-frozen exports). The domain modules are pure (ARCHITECTURE.md "Layers": no I/O, no
// state), so they and their libraries (date-fns, decimal.js, the chinese-days data) are preloaded:
// a new workflow no longer evaluates them, nor rebuilds the shipped working-day calendar (R-T2),
// and a cached workflow no longer keeps copies of them. What a domain module may not do, then:
// keep state at module level that depends on a workflow (a cache of what the code ships, like
// WorkingCalendar.builtin(), is fine: the same in every workflow, so replay stays deterministic),
// or mutate an exported value (frozen: it throws). test/workflows/bundle.test.ts checks that every
// domain module in the bundle is preloaded here.
//
// workflows/sandbox.ts sets the sandbox's stack depth (WORKER_WORKFLOW_STACK_FRAMES) while the
// context's globals can still be set: after preloading the SDK freezes them.

const ROOT = join(import.meta.dirname, '..');

/** Every domain module the workflows import (test/workflows/bundle.test.ts holds this to the bundle). */
export const PRELOADED_DOMAIN_MODULES = [
  'calendar',
  'complaints',
  'dates',
  'deadlines',
  'eligibility',
  'enrolment',
  'entitlement',
  'household',
  'household-kinds',
  'idnumber',
  'money',
  'region',
  'temporary-assistance',
  'verification',
] as const;

/** V8's default depth, kept outside production (config/env.ts WORKER_WORKFLOW_STACK_FRAMES). */
export const DEFAULT_STACK_FRAMES = 10;
/** Production's default: a failure's stack names its innermost frames (workflows/sandbox.ts). */
export const PRODUCTION_STACK_FRAMES = 4;

export function workflowStackFrames(config: Pick<Config, 'NODE_ENV' | 'WORKER_WORKFLOW_STACK_FRAMES'>) {
  return (
    config.WORKER_WORKFLOW_STACK_FRAMES ??
    (config.NODE_ENV === 'production' ? PRODUCTION_STACK_FRAMES : DEFAULT_STACK_FRAMES)
  );
}

// The SDK's own webpack (a dependency of @temporalio/worker), for its DefinePlugin.
const webpack = createRequire(createRequire(import.meta.url).resolve('@temporalio/worker'))('webpack') as {
  DefinePlugin: new (defs: Record<string, string>) => unknown;
};

export function workflowBundleOptions(
  opts: { stackFrames?: number } = {},
): Required<Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'webpackConfigHook'>> {
  const stackFrames = opts.stackFrames ?? DEFAULT_STACK_FRAMES;
  return {
    workflowsPath: join(ROOT, 'workflows', 'index.ts'),
    preloadModules: [
      join(ROOT, 'workflows', 'sandbox.ts'),
      ...PRELOADED_DOMAIN_MODULES.map((m) => join(ROOT, 'domain', `${m}.ts`)),
    ],
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        new webpack.DefinePlugin({ __WORKFLOW_STACK_FRAMES__: JSON.stringify(stackFrames) }) as never,
      ],
    }),
  };
}

/** The worker's options for the bundle it builds at its start. */
export function workerBundle(config: Config): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  const { workflowsPath, ...bundlerOptions } = workflowBundleOptions({
    stackFrames: workflowStackFrames(config),
  });
  return { workflowsPath, bundlerOptions };
}
