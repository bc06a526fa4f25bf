import v8 from 'node:v8';
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/env';

// How big one worker process may grow, and what it runs at once. Figures: bench/worker-memory.ts
// and deploy/README.md "Sizing".
//
// Sticky cache (maxCachedWorkflows): a workflow whose state is cached on this worker gets its next
// task on the worker's sticky queue and runs only the new events; one evicted (or never cached)
// replays its whole history first. The cache costs heap, not correctness: a case workflow
// (`case:<id>`, one per open case, tens of thousands per county) sleeps for a month between
// tasks, so it need not stay cached, and its history stays short (continue-as-new every 12
// rostered months) so a miss is a bounded replay. The SDK's default derives the size from the
// heap limit at ~1.7 MB per workflow (600 per GB above 200 MB); with reuseV8Context the SDK docs
// measure ~1 MB per cached workflow. Our case workflows cost ~1.5 MB while the domain modules
// pulled zod into the bundle (every workflow evaluates the bundle's modules again); without it,
// 4,000 cached of 10,000 open held the worker at 3.7 GB RSS (0.8 MB each above the idle 511 MB,
// bench/worker-memory.ts): so the default here is (heap limit − 400 MB) / WORKER_CACHED_WORKFLOW_MB
// (1 MB), up to CACHE_CEILING, and WORKER_MAX_CACHED_WORKFLOWS sets it outright. 0 disables the
// cache (every task replays).
//
// The ceiling: a cached run costs CPU too, not only heap. Temporal's Core SDK (the Rust core of
// @temporalio/worker 1.24, its workflow-processing thread) looks through every cached run after
// each input it handles (`reconcile_buffered` in workflow_stream.rs counts the runs being
// evicted), and a workflow task is several inputs (the poll, each local activity's result, the
// completion). Measured with an import (bench/README.md "Caseload import", the sticky cache): that
// thread's CPU per imported household stays at ~5 ms with 1,648 cached and doubles to ~11 ms with
// 3,700, the worker's CPU per household rising from 42–43 to 47–49 ms. So a larger heap buys room
// for the GC and for larger workflows, not a longer cache; a deployment that wants more cached
// workflows adds workers.
//
// reuseV8Context: one V8 context per workflow thread, workflows' globals swapped in and out per
// task (the SDK's recommended model and its default since 1.11); without it every cached workflow
// keeps a context of its own (several MB each). workflowThreadPoolSize: with a reused context the
// SDK docs see no gain past 1 thread; more threads only help when many long histories replay at
// once (cache misses in bulk), each thread costing its own heap.
//
// maxConcurrentWorkflowTaskExecutions may not exceed the cache size (the SDK lowers it, Temporal:
// a task in flight holds its workflow in the cache). maxConcurrentActivityTaskExecutions bounds
// the activities run at once; by default as many as the worker's Postgres pool has connections
// (DATABASE_POOL_MAX): every activity takes one, a payroll page or bank file for its whole
// transaction, and an activity past the pool would wait for a connection and fail after the
// pool's 5 s connect timeout. So a province's 120 county payrolls queue on the task queue (one
// bounded page each at a time, fairly interleaved with the cases' short activities) instead of
// opening 120 transactions at once.

const MiB = 1024 * 1024;

/** The default cache's ceiling: what `npm run worker`'s default heap (2,048 MB) holds at 1 MB each. */
export const CACHE_CEILING = 1648;

/** The V8 heap limit of this process (set by --max-old-space-size in the start scripts). */
export const heapLimitMb = () => v8.getHeapStatistics().heap_size_limit / MiB;

export function workerTuning(
  config: Config,
  heapMb = heapLimitMb(),
): Pick<
  WorkerOptions,
  | 'maxCachedWorkflows'
  | 'reuseV8Context'
  | 'workflowThreadPoolSize'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
> {
  const cache =
    config.WORKER_MAX_CACHED_WORKFLOWS ??
    Math.min(Math.max(Math.floor((heapMb - 400) / config.WORKER_CACHED_WORKFLOW_MB), 10), CACHE_CEILING);
  return {
    maxCachedWorkflows: cache,
    reuseV8Context: config.WORKER_REUSE_V8_CONTEXT,
    workflowThreadPoolSize: config.WORKER_WORKFLOW_THREADS,
    maxConcurrentWorkflowTaskExecutions: cache
      ? Math.min(config.WORKER_MAX_WORKFLOW_TASKS, cache)
      : config.WORKER_MAX_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_ACTIVITIES ?? config.DATABASE_POOL_MAX,
  };
}
