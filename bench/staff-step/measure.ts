// Load generation and figures for bench/staff-step.ts: bounded lanes, percentiles, a table.

export interface Sample {
  ms: number[];
  errors: number;
  /** First error messages, to print (not all of them). */
  firstErrors: string[];
  wallMs: number;
}

export const emptySample = (): Sample => ({ ms: [], errors: 0, firstErrors: [], wallMs: 0 });

/**
 * Runs `fn` once for each item with `concurrency` lanes (each lane takes the next item when its
 * previous call ends) and adds the latency of every successful call to `into`.
 */
export async function lanes<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
  into: Sample = emptySample(),
): Promise<Sample> {
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      const s = performance.now();
      try {
        await fn(item);
        into.ms.push(performance.now() - s);
      } catch (err) {
        into.errors++;
        if (into.firstErrors.length < 3) into.firstErrors.push((err as Error).message.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  into.wallMs += performance.now() - t0;
  return into;
}

/** Nearest-rank percentile of latencies in ms. */
export function pct(ms: number[], p: number): number {
  if (ms.length === 0) return Number.NaN;
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Splits `items` into `rounds` nearly equal consecutive slices. */
export function slices<T>(items: readonly T[], rounds: number): T[][] {
  const size = Math.ceil(items.length / rounds);
  return Array.from({ length: rounds }, (_, i) => items.slice(i * size, (i + 1) * size)).filter(
    (s) => s.length,
  );
}

export const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `×${(a / b).toFixed(2)}` : '–');

export function printTable(head: string[], body: string[][], align: ('l' | 'r')[] = []) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const cell = (c: string, i: number) => (align[i] === 'l' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  console.log(line(head));
  console.log(
    `|${widths.map((w, i) => (align[i] === 'l' ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of body) console.log(line(row));
}

export function reportErrors(name: string, s: Sample) {
  if (s.errors) console.log(`  ${name}: ${s.errors} errors, e.g. ${s.firstErrors.join(' / ')}`);
}
