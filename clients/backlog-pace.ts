// How fast a bulk producer may start workflows: no faster than the workers take them. `room()` says
// how many more may be waiting now (the bound less those started and not yet taken up); while it
// says none, `pause()` (a short sleep that heartbeats) and ask again. The lanes of one producer
// share each answer: one asks, the others wait for its answer, and each start uses one place.
//
// Why: an import that starts cases faster than the workers run their first task fills the task
// queue with thousands of tasks, and the township's own first tasks (a receipt at the window
// starts an application workflow) wait behind all of them (README "Caseload import").

export interface Pace {
  /** Places free now (≤ 0: none). */
  room(): Promise<number>;
  /** Wait before asking again. */
  pause(): Promise<void>;
}

/** `acquire()` resolves when one more start may go; with no pace, at once. */
export function pacer(pace?: Pace): { acquire(): Promise<void> } {
  if (!pace) return { acquire: async () => {} };
  let free = 0;
  let asking: Promise<void> | undefined;
  const refill = async () => {
    for (;;) {
      free = await pace.room();
      if (free > 0) return;
      await pace.pause();
    }
  };
  return {
    async acquire() {
      while (free <= 0) {
        asking ??= refill().finally(() => {
          asking = undefined;
        });
        await asking;
      }
      free--;
    },
  };
}
