import type pg from 'pg';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Config } from '../config/env';
import { metricsRepository } from '../db/repositories/metrics';
import { type MetricsServer, startMetricsServer } from '../metrics/http-server';

// The worker's GET /metrics (WORKER_METRICS_PORT): the Temporal SDK's own metrics (workflow task
// latency, activity failures, pollers, sticky cache; the Runtime's Prometheus exporter on
// WORKER_SDK_METRICS_PORT, loopback only) followed by the project's gauges refreshed from the read
// model: overdue work per county (R-O3) and payroll progress (R-M1). Counts only, no person.

const REFRESH_MS = 15_000;

/** The SDK exporter's bind address for Runtime.install, or undefined when metrics are off. */
export function sdkMetricsBindAddress(config: Config): string | undefined {
  return config.WORKER_METRICS_PORT && config.WORKER_SDK_METRICS_PORT
    ? `127.0.0.1:${config.WORKER_SDK_METRICS_PORT}`
    : undefined;
}

export function workerRegistry(pool: pg.Pool): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const repo = metricsRepository(pool);
  let last = 0;
  let snapshot: Promise<
    [Awaited<ReturnType<typeof repo.overdueByCounty>>, Awaited<ReturnType<typeof repo.payrollProgress>>]
  >;
  // One read of the read model per REFRESH_MS, however often it is scraped.
  const refresh = () => {
    if (Date.now() - last > REFRESH_MS || !snapshot) {
      last = Date.now();
      snapshot = Promise.all([repo.overdueByCounty(), repo.payrollProgress()]);
    }
    return snapshot;
  };
  new Gauge({
    name: 'dibao_overdue_work',
    help: 'Open work past its legal deadline (flag=overdue) or close to it (flag=at_risk), per county and kind (R-O3)',
    labelNames: ['county', 'kind', 'flag'] as const,
    registers: [registry],
    async collect() {
      const [overdue] = await refresh();
      this.reset();
      for (const o of overdue) {
        this.set({ county: o.countyCode, kind: o.kind, flag: 'overdue' }, o.overdue);
        this.set({ county: o.countyCode, kind: o.kind, flag: 'at_risk' }, o.atRisk);
      }
    },
  });
  new Gauge({
    name: 'dibao_payroll_lines',
    help: 'Bank lines of payrolls open or completed in the last 40 days: state=total sent, state=done answered (R-M1)',
    labelNames: ['county', 'month', 'status', 'state'] as const,
    registers: [registry],
    async collect() {
      const [, payrolls] = await refresh();
      this.reset();
      for (const p of payrolls) {
        const l = { county: p.countyCode, month: p.month, status: p.status };
        this.set({ ...l, state: 'total' }, p.linesTotal);
        this.set({ ...l, state: 'done' }, p.linesDone);
      }
    },
  });
  return registry;
}

/** Starts the listener when WORKER_METRICS_PORT is set (0 = off). */
export async function startWorkerMetrics(config: Config, pool: pg.Pool): Promise<MetricsServer | undefined> {
  if (!config.WORKER_METRICS_PORT) return undefined;
  const registry = workerRegistry(pool);
  const sdk = sdkMetricsBindAddress(config);
  return startMetricsServer({
    host: config.METRICS_HOST,
    port: config.WORKER_METRICS_PORT,
    render: async () => {
      const own = await registry.metrics();
      const core = sdk
        ? await fetch(`http://${sdk}/metrics`).then(
            (r) => r.text(),
            () => '# the SDK exporter did not answer\n',
          )
        : '';
      return { contentType: registry.contentType, body: `${core.trimEnd()}\n${own}` };
    },
  });
}
