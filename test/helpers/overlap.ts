/**
 * Which fake activities ran at the same time. A test sets `dwellMs`; each activity that calls `run`
 * then stays in flight that long, and every pair found in flight together is recorded, in the order
 * they started. With `dwellMs` at 0 nothing waits and nothing is recorded.
 */
export function overlapMeter() {
  const running = new Set<string>();
  const meter = {
    dwellMs: 0,
    together: [] as [string, string][],
    async run(name: string) {
      if (meter.dwellMs === 0) return;
      for (const other of running) meter.together.push([other, name]);
      running.add(name);
      try {
        await new Promise((r) => setTimeout(r, meter.dwellMs));
      } finally {
        running.delete(name);
      }
    },
  };
  return meter;
}
