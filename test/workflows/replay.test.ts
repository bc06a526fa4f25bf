import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { testDataConverter, testEnv } from '../helpers/env';

// STYLE.md: policy changes to running workflows go through patched(). Each recorded history
// (scripts/record-histories.ts, test/replay/README.md) is replayed on the bundle the other workflow
// tests run, so a change that would break a running workflow fails here with a DeterminismViolationError.

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

describe('replay of recorded workflow histories', () => {
  it('replay: test/replay/histories holds recorded histories (an empty folder must not pass)', () => {
    expect(names.length).toBeGreaterThan(0);
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
