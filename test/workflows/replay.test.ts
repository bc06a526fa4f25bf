import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import * as workflows from '../../workflows';
import { testDataConverter, testEnv } from '../helpers/env';

// ARCHITECTURE.md "Changing a running workflow": a change to running workflows goes through
// patched(). Each recorded history (scripts/record-histories.ts, test/replay/README.md) is replayed
// on the bundle the other workflow tests run, so a change that would break a running workflow fails
// here with a DeterminismViolationError; and every workflow type the worker serves has one.

const DIR = join(import.meta.dirname, '..', 'replay', 'histories');
const names = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort()
  : [];

// The SDK's historyFromJSON (which runReplayHistory applies to JSON) throws "type must be a Type" with
// this lockfile: @temporalio/common and @temporalio/proto each got their own copy of protobufjs 8, so
// protojson's instanceof check fails across copies. Same conversion, with the proto root's own copy.
const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const historyType = (fromProto('@temporalio/proto') as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);
const protojson = fromProto('protobufjs/ext/protojson') as {
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
};
const historyFromJSON = (json: unknown) =>
  protojson.fromJson(historyType, json, { ignoreUnknownFields: true });

/** The workflow type a recorded history ran (its first event names it). */
const workflowTypeOf = (name: string): string | undefined =>
  JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')).events?.[0]
    ?.workflowExecutionStartedEventAttributes?.workflowType?.name;

describe('replay of recorded workflow histories', () => {
  it('replay: test/replay/histories holds recorded histories (an empty folder must not pass)', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it('replay: every workflow type exported by workflows/index.ts has at least one recorded history', () => {
    const exported = Object.entries(workflows)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    const recorded = new Set(names.map(workflowTypeOf));
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.filter((type) => !recorded.has(type))).toEqual([]);
  });

  it.each(names)("replay: %s history replays on today's workflow code", async (name) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        {
          workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
          replayName: name,
          // R-O7: histories recorded with the codec decode; older ones pass through unchanged.
          dataConverter: testDataConverter(),
        },
        history,
        name,
      ),
    ).resolves.toBeUndefined();
  });
});
