import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/env';
import { CACHE_CEILING, workerTuning } from '../../worker/tuning';

// The worker's sticky cache (worker/tuning.ts). Temporal's Core SDK looks through every cached run
// after each input it handles, so a larger cache costs every workflow task CPU; the default is what
// the heap holds, up to a ceiling. No server: the tuning is a function of the configuration and of
// the heap limit, given here.

const config = (env: Record<string, string> = {}) => parseConfig({ NODE_ENV: 'test', ...env });

describe('worker tuning: the sticky cache', () => {
  it('the default heap of `npm run worker` (2,048 MB) gives what it holds at 1 MB a workflow', () => {
    expect(workerTuning(config(), 2048).maxCachedWorkflows).toBe(1648);
    expect(workerTuning(config(), 1024).maxCachedWorkflows).toBe(624);
  });

  it('a larger heap does not make the cache larger than the ceiling', () => {
    expect(workerTuning(config(), 4096).maxCachedWorkflows).toBe(CACHE_CEILING);
    expect(workerTuning(config(), 16_384).maxCachedWorkflows).toBe(CACHE_CEILING);
    // Larger workflows: fewer of them in the same heap, under the ceiling.
    expect(workerTuning(config({ WORKER_CACHED_WORKFLOW_MB: '2' }), 2048).maxCachedWorkflows).toBe(824);
  });

  it('WORKER_MAX_CACHED_WORKFLOWS sets it outright, past the ceiling or to 0 (every task replays)', () => {
    expect(workerTuning(config({ WORKER_MAX_CACHED_WORKFLOWS: '4000' }), 4096).maxCachedWorkflows).toBe(4000);
    const none = workerTuning(config({ WORKER_MAX_CACHED_WORKFLOWS: '0' }), 4096);
    expect(none.maxCachedWorkflows).toBe(0);
    expect(none.maxConcurrentWorkflowTaskExecutions).toBe(40);
  });

  it('a tiny heap still caches a few, and no more tasks run at once than the cache holds', () => {
    const tiny = workerTuning(config(), 300);
    expect(tiny.maxCachedWorkflows).toBe(10);
    expect(tiny.maxConcurrentWorkflowTaskExecutions).toBe(10);
  });
});
