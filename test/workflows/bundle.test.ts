import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

// Every workflow evaluates the bundle's modules again in its own context (reuseV8Context shares
// the context, not the module instances), so what the bundle holds is paid per workflow started
// and kept per cached workflow. zod (the API's schemas) once made a sixth of a new case's first
// task: the domain modules that workflows import hold the rules, their schemas live in
// domain/*-schema.ts, which no workflow imports.

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };

describe('the workflow bundle', () => {
  it('holds no zod and no API schema module', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: join(import.meta.dirname, '..', '..', 'workflows', 'index.ts'),
      logger: silent as never,
    });
    const modules = [...code.matchAll(/\/\*\*\*\/ "([^"]+)"/g)].map((m) => m[1]!);
    expect(modules.length).toBeGreaterThan(50);
    expect(modules).toContain('./workflows/case/workflow.ts');
    expect(modules.filter((m) => m.includes('node_modules/zod/'))).toEqual([]);
    expect(modules.filter((m) => m.endsWith('-schema.ts') || m.startsWith('./api/'))).toEqual([]);
  }, 120_000);
});
