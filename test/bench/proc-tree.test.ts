import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { treeCpuS } from '../../bench/proc-tree';

// The benches' CPU per process tree (bench/README.md): a child that has ended and been reaped by
// its parent, as Postgres's postmaster reaps a backend whose connection closed, still counts in
// the parent's tree; otherwise a step's CPU could come out negative.

describe('treeCpuS', () => {
  it("counts a reaped child's CPU in its parent's tree", async () => {
    // bash runs a child that spends some CPU and reports how much, reaps it, then waits.
    const burn =
      'let x = 0; for (let i = 0; i < 2e8; i++) x += i; const u = process.cpuUsage(); console.log((u.user + u.system) / 1e6)';
    const sh = spawn('bash', ['-c', `${JSON.stringify(process.execPath)} -e '${burn}'; exec sleep 30`]);
    try {
      const childCpuS = await new Promise<number>((resolve, reject) => {
        sh.stdout.once('data', (d: Buffer) => resolve(Number(d.toString())));
        sh.once('exit', () => reject(new Error('bash ended first')));
      });
      expect(childCpuS).toBeGreaterThan(0.05);
      // The child has printed; wait until bash has reaped it and become `sleep` (one process left).
      let cpu = 0;
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        cpu = treeCpuS(sh.pid!);
        if (cpu >= childCpuS * 0.9) break;
      }
      expect(cpu).toBeGreaterThanOrEqual(childCpuS * 0.9);
    } finally {
      sh.kill('SIGKILL');
    }
  });
});
