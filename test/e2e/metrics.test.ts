import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsServer, startMetricsServer } from '../../metrics/http-server';
import { freePort } from '../../scripts/lib/procs';
import { workerRegistry } from '../../worker/metrics';
import { SPOT_CHECK_SCHEDULE_ID } from '../../worker/schedules';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { bearer, clusterInfo, clusterStateFile, metricSum, scrape } from '../helpers/cluster';
import { testDataConverter } from '../helpers/env';
import { idNumber } from '../helpers/fixtures';

// GET /metrics of the API and of the worker (README "Metrics"): Prometheus text on a port of its
// own, HTTP latency per route pattern and status, the read model's gauges; no person in it (R-O7).

let env: ApiEnv;
let server: MetricsServer;

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  const registry = env.api.metrics;
  server = await startMetricsServer({
    host: '127.0.0.1',
    port: await freePort(),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  });
  await env.pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
     VALUES ('M-late', 'dibao', '140802101201', '140802101', '140802', '2026-10-01', false, false, 'verifying', 'seed',
             '2026-11-12', true, true),
            ('M-risk', 'dibao', '140821101201', '140821101', '140821', '2026-10-01', false, false, 'verifying', 'seed',
             '2026-11-12', true, false)`,
  );
});

afterAll(async () => {
  await server?.close();
  await env?.stop();
});

describe('metrics', () => {
  it('R-O7: after a request, /metrics has the latency histogram of its route pattern and status, and no id from the path', async () => {
    const personal = idNumber();
    const res = await env.api.inject({
      url: `/v1/applications/${personal}`,
      headers: env.as('township_staff', '140802101'),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400); // not an application id
    const ok = await env.api.inject({ url: '/health' });
    expect(ok.statusCode).toBe(200);

    const scraped = await fetch(server.url);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const text = await scraped.text();
    expect(text).toContain('# TYPE dibao_http_request_duration_seconds histogram');
    expect(text).toContain(
      'dibao_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health",status="200"} 1',
    );
    expect(text).toContain(
      `dibao_http_request_duration_seconds_count{method="GET",route="/v1/applications/:id",status="${res.statusCode}"} 1`,
    );
    expect(text).not.toContain(personal);
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('R-O3 R-M1: the worker gauges count overdue and at-risk work per county from the read model', async () => {
    const text = await workerRegistry(env.pool).metrics();
    expect(text).toContain('dibao_overdue_work{county="140802",kind="application",flag="overdue"} 1');
    expect(text).toContain('dibao_overdue_work{county="140821",kind="application",flag="at_risk"} 1');
    expect(text).not.toContain('M-late');
  });
});

describe.skipIf(!clusterStateFile)('metrics of the cluster processes', () => {
  it('R-O7: an API process and a worker process answer /metrics on their own ports: the route histogram, the SDK metrics', async () => {
    const info = clusterInfo();
    const api = info.procs['api-2'] as { url: string; metricsUrl: string };
    const res = await fetch(`${api.url}/v1/supervision/overdue`, {
      headers: { authorization: bearer(info, 'supervisor', '140802') },
    });
    expect(res.status).toBe(200);
    // The API's own port has no /metrics: it is on the metrics port only.
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    const text = await scrape(api.metricsUrl);
    expect(metricSum(text, 'dibao_http_request_duration_seconds_count')).toBeGreaterThan(0);
    expect(text).toMatch(/route="\/v1\/supervision\/overdue",status="200"/);
    expect(text).toContain('process_resident_memory_bytes');

    const worker = await scrape(info.procs['worker-2']?.metricsUrl as string);
    expect(worker).toContain('temporal_worker_task_slots_available');
    expect(worker).toContain('# TYPE dibao_overdue_work gauge');
    // Workflow-task latency exists once a worker has run a workflow task: the monthly spot-check
    // Schedule, triggered now, runs its scheduler workflow on the cluster's workers.
    const connection = await Connection.connect({ address: info.temporalAddress });
    try {
      const client = new Client({ connection, dataConverter: testDataConverter() });
      await client.schedule.getHandle(SPOT_CHECK_SCHEDULE_ID).trigger();
    } finally {
      await connection.close();
    }
    const workers = ['worker-1', 'worker-2'].map((w) => info.procs[w]?.metricsUrl as string);
    const latency = await until(
      async () => {
        for (const url of workers) {
          const text = await scrape(url);
          if (text.includes('temporal_workflow_task_execution_latency')) return text;
        }
        return undefined;
      },
      'workflow-task latency on a worker',
      { tries: 120, everyMs: 500 },
    );
    expect(latency).toMatch(/temporal_workflow_task_execution_latency_bucket/);
  });
});
