import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

// Summarises the V8 CPU profiles a `--cpu-prof` worker leaves (one file per thread): for each
// thread busy long enough, its busy time (samples minus idle), the top functions by self time and
// by inclusive time (a function counted once per sample however often it recurs), and the shares
// of the groups bench/README.md reports ("Workflow task CPU"). Shares, not milliseconds, are the
// figures to compare: the machine is shared.
//
// `--within=handleActivation` counts only the samples under that function (the workflow thread's
// work, without the bundling or the process's start in a replay bench's profile). `--slice-s=30`
// adds the thread's time slice by slice: busy, and of it the garbage collector's and the workflow
// activations' (does a task cost more as a long import goes on, and is it the GC?).
//
//   npx tsx bench/cpu-profile.ts <dir or .cpuprofile files> [--top=25] [--min-busy-ms=500] [--within=fn] [--slice-s=N]

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Groups named in the report; a sample counts in a group when any frame of its stack matches. The
 * domain's functions are matched in the workflow bundle only (rxjs in the SDK has a `step` too).
 */
const GROUPS: Record<string, (f: string, url: string) => boolean> = {
  'runInContext (self)': () => false, // filled from self time below
  'promise hook (stack capture per promise)': (f, url) => f === 'init' && url.includes('vm-shared'),
  'prepareStackTrace (call sites, source map)': (f, url) =>
    url.includes('vm-shared') && (f === 'Error.prepareStackTrace' || f === 'formatCallsiteName'),
  'civil dates (domain/dates)': (f, url) =>
    url.includes('workflow-bundle') &&
    [
      'msOf',
      'dateOfMs',
      'addDays',
      'yearOf',
      'isWeekend',
      'dayOfWeek',
      'compareDates',
      'assertCivilDate',
      'isCivilDate',
    ].includes(f),
  'working-day calendar (domain/calendar)': (f, url) =>
    url.includes('workflow-bundle') &&
    [
      'builtinYears',
      'validateYearCalendar',
      'checkDates',
      'mustBeValid',
      'indexYear',
      'isWorkingDay',
      'step',
      'seek',
      'workingDaysBetween',
      'fromJSON',
      'withYear',
    ].includes(f),
  'postMessage (thread ↔ main)': (f) => f === 'postMessage',
  'garbage collector': (f) => f === '(garbage collector)',
  'webpack module evaluation (__webpack_require__)': (f) => f === '__webpack_require__',
  'workflow activation (activate)': (f) => f === 'activate',
};

function summarise(file: string, top: number, minBusyMs: number, within: string, sliceS: number) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: Node) => {
    const url = n.callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*?\/(?=[^/]+\/[^/]+$)/, '');
    return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${basename(url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const groups = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const slices: { busy: number; gc: number; activate: number }[] = [];
  const stackCache = new Map<number, { keys: Set<string>; fns: Set<string>; groups: Set<string> }>();
  const stackOf = (id: number) => {
    let s = stackCache.get(id);
    if (s) return s;
    s = { keys: new Set(), fns: new Set(), groups: new Set() };
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur) as Node;
      s.keys.add(name(n));
      s.fns.add(n.callFrame.functionName);
      for (const [g, match] of Object.entries(GROUPS))
        if (match(n.callFrame.functionName, n.callFrame.url)) s.groups.add(g);
    }
    stackCache.set(id, s);
    return s;
  };
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const n = byId.get(id) as Node;
    total += dt;
    if (n.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    const s = stackOf(id);
    if (sliceS) {
      const k = Math.floor(total / 1000 / sliceS);
      slices[k] ??= { busy: 0, gc: 0, activate: 0 };
      slices[k].busy += dt;
      if (s.groups.has('garbage collector')) slices[k].gc += dt;
      if (s.groups.has('workflow activation (activate)')) slices[k].activate += dt;
    }
    if (within && !s.fns.has(within)) return;
    const key = name(n);
    self.set(key, (self.get(key) ?? 0) + dt);
    if (n.callFrame.functionName === 'runInContext')
      groups.set('runInContext (self)', (groups.get('runInContext (self)') ?? 0) + dt);
    for (const k of s.keys) incl.set(k, (incl.get(k) ?? 0) + dt);
    for (const g of s.groups) groups.set(g, (groups.get(g) ?? 0) + dt);
  });
  // Under --within, busy is the time under that function.
  const busy = within ? [...self.values()].reduce((a, b) => a + b, 0) : total - idle;
  if (busy < minBusyMs) return;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  console.log(
    `\n## ${basename(file)}: ${(busy / 1000).toFixed(1)} s busy${within ? ` under ${within}` : ''} of ${(total / 1000).toFixed(1)} s`,
  );
  console.log('\ngroups (inclusive share of busy time):');
  for (const g of Object.keys(GROUPS)) console.log(`  ${pct(groups.get(g) ?? 0)}  ${g}`);
  const list = (m: Map<string, number>, title: string) => {
    console.log(`\n${title}:`);
    for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`  ${pct(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${k}`);
  };
  list(self, 'self time');
  list(incl, 'inclusive time');
  if (sliceS) {
    console.log(`\nslices of ${sliceS} s from the thread's start: busy ms, of it GC and activations:`);
    slices.forEach((sl, k) => {
      if (!sl) return;
      const share = (ms: number) => `${((100 * ms) / sl.busy).toFixed(1)}%`;
      console.log(
        `  ${String(k * sliceS).padStart(5)} s  busy ${sl.busy.toFixed(0).padStart(6)}  GC ${share(sl.gc).padStart(6)}  activate ${share(sl.activate).padStart(6)}`,
      );
    });
  }
}

const args = process.argv.slice(2);
const opt = (k: string, d: number) => Number(args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d);
const files = args
  .filter((a) => !a.startsWith('--'))
  .flatMap((a) =>
    statSync(a).isDirectory()
      ? readdirSync(a)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(a, f))
      : [a],
  );
const within = args.find((a) => a.startsWith('--within='))?.split('=')[1] ?? '';
for (const f of files) summarise(f, opt('top', 25), opt('min-busy-ms', 500), within, opt('slice-s', 0));
