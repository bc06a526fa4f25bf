import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { scrub } from '../config/logging';
import { workflowBundleOptions } from '../worker/bundle';
import { installRuntimeLogger } from '../worker/logging';
import { SCENARIOS } from './histories';
import { historyFile, OUT, ROOT, record } from './histories/record';
import type { NamedScenario } from './histories/session';

// Records the histories that test/workflows/replay.test.ts replays on every run (ARCHITECTURE.md,
// "Changing a running workflow": a change to running workflows goes through patched()).
//   npx tsx scripts/record-histories.ts [<workflow>-<name> ...] [--force]
// Records the scenarios whose file is missing; an existing history is kept unless --force, because
// it stands for workflows already running in production (test/replay/README.md). A scenario writes
// `<workflow>-<name>.json`; when its workflow continued as new, the first run goes there and each
// later run to `<workflow>-<name>-run<k>.json` (the last one is the run still going).
// One file per scenario under scripts/histories/.

// As scripts/stack.ts hands it to the tests; the test server's logs go under .test-data/ of the cwd.
process.env.TEST_TESTSERVER_CLASSPATH ??= join(ROOT, '.tools', 'testserver', 'lib', '*');
process.chdir(ROOT);
// R-O7: the SDK's lines through the project's redacting logger, as in the worker.
installRuntimeLogger('warn');

// Scenarios are named on the command line as their files are: `<workflow>-<name>`.
const scenarios: Record<string, NamedScenario> = {};
for (const { name, prefix, run } of SCENARIOS) {
  const key = `${prefix}-${name}`;
  if (key in scenarios) throw new Error(`scenario ${key} named twice`);
  scenarios[key] = { name, prefix, run };
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const only = args.filter((a) => a !== '--force');
  const unknown = only.filter((n) => !(n in scenarios));
  if (unknown.length) throw new Error(`no scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios)}`);
  const todo = Object.entries(scenarios).filter(([key, { prefix, name }]) => {
    if (only.length && !only.includes(key)) return false;
    const file = historyFile(prefix, name);
    if (force || !existsSync(file)) return true;
    console.log(`[record] ${key}: kept ${file} (--force re-records it)`);
    return false;
  });
  if (todo.length === 0) return;
  mkdirSync(OUT, { recursive: true });
  // TEST_WORKFLOW_BUNDLE when scripts/test.sh made one; otherwise bundle today's code, never a stale file.
  const codePath = process.env.TEST_WORKFLOW_BUNDLE;
  const bundle = codePath
    ? { codePath }
    : await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  for (const [, scenario] of todo) await record(scenario.name, scenario, bundle);
}

main().catch((err: Error) => {
  console.error(`[record] FAILED: ${scrub(err.stack ?? err.message)}`);
  process.exit(1);
});
