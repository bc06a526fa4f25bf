// Workflow-task latency from the worker's own GET /metrics (the Temporal SDK's Prometheus exporter):
// the SDK records every task's execution latency and counts sticky cache hits and misses (a miss
// rebuilds the workflow from its whole history first). The difference of two scrapes around a round
// of signals gives both, without reading timestamps from histories.

export type Scrape = Map<string, number>;

/** Every sample of a Prometheus text exposition: `name{labels}` → value. */
export async function scrape(url: string): Promise<Scrape> {
  const text = await (await fetch(url)).text();
  const out: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

const nameOf = (key: string) => key.replace(/\{.*$/, '');

/** The sum over every label set of the samples named `name` (a counter, or a histogram's _count). */
export function total(s: Scrape, name: string): number {
  let n = 0;
  for (const [k, v] of s) if (nameOf(k) === name) n += v;
  return n;
}

/** The first metric whose name starts with `prefix` and ends with `suffix` (units differ by SDK setting). */
export function findName(s: Scrape, prefix: string, suffix: string): string | undefined {
  for (const k of s.keys()) {
    const n = nameOf(k);
    if (n.startsWith(prefix) && n.endsWith(suffix)) return n;
  }
  return undefined;
}

export interface Latency {
  count: number;
  meanMs: number;
  /** Upper bounds of the buckets holding the 50th and 99th percentile (ms; `>` the last bound). */
  p50Ms: string;
  p99Ms: string;
}

/** A histogram's observations between two scrapes (`base` without _bucket/_sum/_count). */
export function latencyBetween(before: Scrape, after: Scrape, base: string | undefined): Latency | undefined {
  if (!base) return undefined;
  const toMs = base.includes('second') ? 1000 : 1;
  const count = total(after, `${base}_count`) - total(before, `${base}_count`);
  const sum = total(after, `${base}_sum`) - total(before, `${base}_sum`);
  const buckets = new Map<number, number>();
  for (const [k, v] of after) {
    if (nameOf(k) !== `${base}_bucket`) continue;
    const le = /le="([^"]+)"/.exec(k)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + v - (before.get(k) ?? 0));
  }
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const finite = bounds.filter(Number.isFinite);
  const at = (p: number) => {
    const want = p * count;
    for (const b of bounds)
      if ((buckets.get(b) ?? 0) >= want)
        return Number.isFinite(b) ? `${b * toMs}` : `>${(finite.at(-1) ?? 0) * toMs}`;
    return '–';
  };
  return {
    count,
    meanMs: count ? (sum * toMs) / count : 0,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

export const SDK = {
  execution: (s: Scrape) =>
    findName(s, 'temporal_workflow_task_execution_latency', '_count')?.replace(/_count$/, ''),
};

/** Cache hits and misses between two scrapes (the SDK's sticky cache counters). */
export function cacheBetween(before: Scrape, after: Scrape) {
  const d = (n: string) => total(after, n) - total(before, n);
  return { hits: d('temporal_sticky_cache_hit'), misses: d('temporal_sticky_cache_miss') };
}
