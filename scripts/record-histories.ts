import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { scrub } from '../config/logging';
import { installRuntimeLogger } from '../worker/logging';
import { SCENARIOS } from './histories';
import { historyFile, OUT, ROOT, record } from './histories/record';
import type { Scenario } from './histories/session';

// Records the histories that test/workflows/replay.test.ts replays on every run (STYLE.md: policy
// changes to running workflows go through patched()).
//   npx tsx scripts/record-histories.ts [name ...] [--force]
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

const scenarios: Record<string, Scenario> = {};
for (const { name, prefix, run } of SCENARIOS) {
  if (name in scenarios) throw new Error(`scenario ${name} named twice`);
  scenarios[name] = { prefix, run };
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const only = args.filter((a) => a !== '--force');
  const unknown = only.filter((n) => !(n in scenarios));
  if (unknown.length) throw new Error(`no scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios)}`);
  const todo = Object.entries(scenarios).filter(([name]) => {
    if (only.length && !only.includes(name)) return false;
    const file = historyFile(scenarios[name]!.prefix, name);
    if (force || !existsSync(file)) return true;
    console.log(`[record] ${name}: kept ${file} (--force re-records it)`);
    return false;
  });
  if (todo.length === 0) return;
  mkdirSync(OUT, { recursive: true });
  // TEST_WORKFLOW_BUNDLE when scripts/test.sh made one; otherwise bundle today's code, never a stale file.
  const codePath = process.env.TEST_WORKFLOW_BUNDLE;
  const bundle = codePath
    ? { codePath }
    : await bundleWorkflowCode({
        workflowsPath: join(ROOT, 'workflows', 'index.ts'),
        logger: new DefaultLogger('WARN'),
      });
  for (const [name, scenario] of todo) await record(name, scenario, bundle);
}

main().catch((err: Error) => {
  console.error(`[record] FAILED: ${scrub(err.stack ?? err.message)}`);
  process.exit(1);
});
