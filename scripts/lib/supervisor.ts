import { writeFileSync } from 'node:fs';
import { type Proc, type SpawnOptions, startProc } from './procs';

// Long-running processes of the clustered topology, each restarted when it dies (as
// docker-compose.yml's `restart: unless-stopped` does), until stop(). The node-loss test kills
// processes by the pids of the state file and watches the cluster recover.

export interface Supervised {
  name: string;
  /** The current process (a new one after each restart). */
  current(): Proc;
  restarts(): number;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface ProcSpec {
  name: string;
  cmd: string;
  args: string[];
  opts: SpawnOptions;
  /** Wait this long before starting it again after an exit not asked for. */
  restartDelayMs: number;
  /** Extra facts for the state file (ports, URLs). */
  info?: Record<string, string | number>;
}

export class Supervisor {
  private readonly procs = new Map<string, { spec: ProcSpec; sup: Supervised }>();

  constructor(
    private readonly stateFile: string,
    private readonly extra: Record<string, unknown> = {},
  ) {}

  start(spec: ProcSpec): Supervised {
    let proc = startProc(spec.name, spec.cmd, spec.args, spec.opts);
    let stopped = false;
    let restarts = 0;
    const watch = (p: Proc) => {
      p.exited.then(async (code) => {
        if (stopped) return;
        console.error(`[cluster] ${spec.name} exited (${code}); restarting in ${spec.restartDelayMs} ms`);
        await new Promise((r) => setTimeout(r, spec.restartDelayMs));
        if (stopped) return;
        restarts++;
        proc = startProc(spec.name, spec.cmd, spec.args, spec.opts);
        this.writeState();
        watch(proc);
      });
    };
    watch(proc);
    const sup: Supervised = {
      name: spec.name,
      current: () => proc,
      restarts: () => restarts,
      stop: async (signal, graceMs) => {
        stopped = true;
        await proc.stop(signal, graceMs);
      },
    };
    this.procs.set(spec.name, { spec, sup });
    this.writeState();
    return sup;
  }

  /** Every process's pid, restarts and facts, for tests and operators (`jq .procs`). */
  writeState(): void {
    const procs = Object.fromEntries(
      [...this.procs].map(([name, { spec, sup }]) => [
        name,
        { pid: sup.current().child.pid, restarts: sup.restarts(), ...spec.info },
      ]),
    );
    writeFileSync(this.stateFile, `${JSON.stringify({ ...this.extra, procs }, null, 2)}\n`);
  }

  setExtra(key: string, value: unknown): void {
    this.extra[key] = value;
    this.writeState();
  }
}
