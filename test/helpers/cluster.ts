import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { signLocal } from '../../scripts/lib/local-idp';

// What the test command's cluster pass hands the tests (TEST_CLUSTER_STATE, written by
// scripts/lib/supervisor.ts): the real processes of the production topology, their ports and pids.
// Tests talk to the APIs over HTTP like any client, and retry a 503 or a lost connection with the
// same Idempotency-Key, as API.md asks of clients.

export interface ClusterProc {
  pid: number;
  restarts: number;
  url?: string;
  metricsUrl?: string;
}

export interface ClusterInfo {
  temporalVersion: string;
  temporalAddress: string;
  databaseUrl: string;
  apis: string[];
  /** The local identity provider's signing key (scripts/lib/local-idp.ts). */
  jwtSigningKeyFile: string;
  procs: Record<string, ClusterProc>;
}

export const clusterStateFile = process.env.TEST_CLUSTER_STATE;

/** The state file as it is now (pids change when the supervisor restarts a process). */
export function clusterInfo(): ClusterInfo {
  if (!clusterStateFile)
    throw new Error('TEST_CLUSTER_STATE is not set: the cluster pass of scripts/test.sh sets it');
  return JSON.parse(readFileSync(clusterStateFile, 'utf8')) as ClusterInfo;
}

export function bearer(info: ClusterInfo, role: string, region: string): string {
  return `Bearer ${signLocal(info.jwtSigningKeyFile, 'dibao', { sub: `${role}-cluster-test`, role, region })}`;
}

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
  /** How many answers were 503 or lost before this one. */
  retries: number;
}

/** One request with one Idempotency-Key; 503, 502, 409 in progress and lost connections are retried for up to `forMs`. */
export async function call(
  base: string,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
  forMs = 120_000,
): Promise<CallResult> {
  const key = `cluster-${randomUUID()}`;
  const deadline = Date.now() + forMs;
  for (let retries = 0; ; retries++) {
    const headers: Record<string, string> = { authorization: auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = key;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch(() => undefined);
    if (res && res.status !== 503 && res.status !== 502) {
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      // The first request with this key still runs (API.md): ask again after a moment.
      const inProgress = res.status === 409 && String(parsed.type).includes('idempotency-in-progress');
      if (!inProgress) return { status: res.status, body: parsed, retries };
    }
    if (Date.now() > deadline)
      throw new Error(`${method} ${path}: still ${res?.status ?? 'no answer'} after ${forMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The sum of every sample of a metric (any labels) in a Prometheus text exposition. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.text();
}

/** N active cases of a county with a month handed to the payroll, set-based (as bench/payroll.ts). */
export async function seedPayrollCases(
  pool: pg.Pool,
  county: string,
  months: string[],
  n: number,
  prefix: string,
) {
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by)
     SELECT $3 || i, 'dibao', $1 || '101201', $1 || '101', $1, '2026-01-05', false, false, 'approved', 'seed'
     FROM generate_series(1, $2::int) i`,
    [county, n, prefix],
  );
  await pool.query(
    `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
       monthly_amount, start_month, approved_on, approved_by, members, persons)
     SELECT $3 || i, $3 || i, 'dibao', $1 || '101201', $1 || '101', $1, 'active', (300 + i % 500)::numeric(14, 2),
       '2026-01', '2026-01-05', 'seed',
       jsonb_build_array(jsonb_build_object('idNumber', $1 || to_char(date '1950-01-01' + i, 'YYYYMMDD')
         || lpad((i % 1000)::text, 3, '0') || 'X', 'name', '户主' || i, 'relation', 'applicant')), 1
     FROM generate_series(1, $2::int) i`,
    [county, n, prefix],
  );
  for (const month of months) {
    await pool.query(
      `INSERT INTO case_months (case_id, month, county_code, township_code, village_code, category, residence, amount,
         persons, status, rostered_on)
       SELECT $3 || i, $4, $1, $1 || '101', $1 || '101201', 'dibao', 'rural', (300 + i % 500)::numeric(14, 2), 1,
         'regular', ($4 || '-05')::date
       FROM generate_series(1, $2::int) i`,
      [county, n, prefix, month],
    );
  }
}
