import { readdirSync, readFileSync } from 'node:fs';

// A process and its descendants as Linux's /proc shows them: resident memory and CPU time, so a bench
// can report what each server (Postgres's backends, Temporal's services, a node process's threads)
// costs. Threads are counted in their process; a descendant that has exited counts once its parent
// has reaped it (in the parent's cutime and cstime), as Postgres's postmaster reaps a backend.

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** The fields of /proc/<pid>/stat, or of a thread's (`/proc/<pid>/task/<tid>/stat`). */
function statFields(pid: number, tid?: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}${tid === undefined ? '' : `/task/${tid}`}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3; comm may hold spaces, so split after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `rootPid` and every process below it. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = Number(statFields(Number(d))?.[1]);
    if (Number.isFinite(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return out;
}

/** Resident set of a process and all its descendants, in MB. */
export function treeRssMb(rootPid: number): number {
  let kb = 0;
  for (const pid of processTree(rootPid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return kb / 1024;
}

/**
 * CPU seconds (user + system) a process and its descendants have used so far: the live ones' own,
 * and the reaped ones' through their parent. A backend whose connection closed between two readings
 * would otherwise take its CPU with it, and a step's figure could come out negative.
 */
export function treeCpuS(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    const f = statFields(pid);
    // utime, stime, cutime and cstime are fields 14–17 of stat; f starts at field 3.
    if (f) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / TICKS;
}

/** CPU seconds each named process tree used between `start()` and `stop()`. */
export function cpuMeter(pids: Record<string, number>) {
  const at = () => Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, treeCpuS(pid)]));
  const before = at();
  return {
    stop(): Record<string, number> {
      const after = at();
      return Object.fromEntries(Object.keys(pids).map((n) => [n, +(after[n]! - before[n]!).toFixed(1)]));
    },
  };
}

/**
 * A node process's CPU seconds so far by thread, grouped: its main thread (the JavaScript event
 * loop: activities, the client, the bridge), the Core SDK's workflow-processing thread (Temporal's
 * Rust core keeps each cached run's state machines there), Core's tokio threads (its gRPC), and
 * the other `node` threads (the workflow threads, V8's GC helpers and libuv's pool). The thread
 * names are what Linux shows (`comm`, 15 characters).
 */
export function threadCpuS(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {}
  for (const tid of tids) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const f = statFields(pid, Number(tid));
    if (!f) continue;
    const group =
      Number(tid) === pid
        ? 'main'
        : comm === 'workflow-proces'
          ? 'core-workflows'
          : comm.startsWith('tokio')
            ? 'core-io'
            : comm === 'node'
              ? 'node-threads'
              : comm;
    out[group] = (out[group] ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS;
  }
  return out;
}
