import { readFileSync } from 'node:fs';

// Reads schemathesis' NDJSON event stream (`--report ndjson`): every ScenarioFinished event carries
// its recorder, with the generated cases, the HTTP interactions and the checks, keyed by case id.
// We count from the interactions ourselves rather than trusting the exit code, so the summary can
// say how many requests were sent and which answers were 5xx or broke the declared contract.

/** Checks that fail the pass: a 5xx, or an answer whose media type or body the OpenAPI document does not declare. */
export const FAILING_CHECKS = [
  'not_a_server_error',
  'content_type_conformance',
  'response_schema_conformance',
];
/** Reported, but not failing: an undeclared status code (e.g. Fastify's own 414/415). */
export const REPORTED_CHECKS = ['status_code_conformance'];

export interface Finding {
  check: string;
  method: string;
  path: string;
  /** The answer's status (several, joined with '/', once folded). */
  status: number | string | undefined;
  count: number;
  /** The first request that showed it: the URL (path and query filled in) and the body. */
  example: { method: string; url: string; body: string };
  message: string;
}

export interface RunReport {
  requests: number;
  byStatus: Map<number, number>;
  serverErrors: number;
  findings: Map<string, Finding>;
  /** Requests answered other than 4xx (only meaningful for the runs that must fail). */
  notRejected: { method: string; url: string; status: number | undefined }[];
}

interface Interaction {
  request?: { method?: string; uri?: string; body?: { $base64?: string } | string };
  response?: { status_code?: number } | null;
}
interface CheckResult {
  name: string;
  status: string;
  failure_info?: { failure?: { title?: string; message?: string } };
}
interface Recorder {
  cases?: Record<string, { value?: { method?: string; path?: string; body?: unknown } }>;
  interactions?: Record<string, Interaction>;
  checks?: Record<string, CheckResult[]>;
}

const decodeBody = (b: { $base64?: string } | string | undefined) =>
  typeof b === 'string' ? b : b?.$base64 ? Buffer.from(b.$base64, 'base64').toString('utf8') : '';

export function readRunReport(ndjsonPath: string): RunReport {
  const report: RunReport = {
    requests: 0,
    byStatus: new Map(),
    serverErrors: 0,
    findings: new Map(),
    notRejected: [],
  };
  for (const line of readFileSync(ndjsonPath, 'utf8').split('\n')) {
    if (!line.includes('"ScenarioFinished"')) continue;
    const recorder = (JSON.parse(line).ScenarioFinished?.recorder ?? {}) as Recorder;
    for (const [id, interaction] of Object.entries(recorder.interactions ?? {})) {
      const status = interaction.response?.status_code;
      const method = interaction.request?.method ?? recorder.cases?.[id]?.value?.method ?? '?';
      const url = interaction.request?.uri?.replace(/^https?:\/\/[^/]+/, '') ?? '?';
      report.requests++;
      if (status !== undefined) report.byStatus.set(status, (report.byStatus.get(status) ?? 0) + 1);
      if (status !== undefined && status >= 500) report.serverErrors++;
      if (status === undefined || status < 400 || status >= 500)
        report.notRejected.push({ method, url, status });
      for (const check of recorder.checks?.[id] ?? []) {
        if (check.status !== 'failure') continue;
        const path = recorder.cases?.[id]?.value?.path ?? url.split('?')[0] ?? url;
        const key = `${check.name} ${method} ${path} ${status}`;
        const seen = report.findings.get(key);
        if (seen) {
          seen.count++;
          continue;
        }
        const failure = check.failure_info?.failure;
        report.findings.set(key, {
          check: check.name,
          method,
          path,
          status,
          count: 1,
          example: { method, url, body: decodeBody(interaction.request?.body).slice(0, 4000) },
          message: [failure?.title, failure?.message].filter(Boolean).join(': ').slice(0, 300),
        });
      }
    }
  }
  return report;
}

/** Several runs' reports as one (findings of the same check, route and status add up). */
export function mergeReports(reports: RunReport[]): RunReport {
  const all: RunReport = {
    requests: 0,
    byStatus: new Map(),
    serverErrors: 0,
    findings: new Map(),
    notRejected: [],
  };
  for (const r of reports) {
    all.requests += r.requests;
    all.serverErrors += r.serverErrors;
    all.notRejected.push(...r.notRejected);
    for (const [s, n] of r.byStatus) all.byStatus.set(s, (all.byStatus.get(s) ?? 0) + n);
    for (const [k, f] of r.findings) {
      const seen = all.findings.get(k);
      if (seen) seen.count += f.count;
      else all.findings.set(k, { ...f });
    }
  }
  return all;
}

/** One line per finding, failing checks first, most frequent first. */
export function describeFindings(findings: Iterable<Finding>, checks: string[], bodyChars = 4000): string[] {
  return [...findings]
    .filter((f) => checks.includes(f.check))
    .sort((a, b) => checks.indexOf(a.check) - checks.indexOf(b.check) || b.count - a.count)
    .map(
      (f) =>
        `${f.check}: ${f.method ? `${f.method} ` : ''}${f.path} → ${f.status ?? 'no answer'} ×${f.count}` +
        `\n      e.g. ${f.example.method} ${f.example.url}${f.example.body ? ` ${f.example.body.slice(0, bodyChars)}` : ''}` +
        (f.message ? `\n      ${f.message.replace(/\n/g, ' ')}` : ''),
    );
}

/**
 * The same, with the findings of one check and one message (e.g. an undeclared media type on every
 * route) folded into a line naming how many routes and statuses share it: the terminal's summary.
 */
export function foldFindings(findings: Iterable<Finding>, checks: string[]): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!checks.includes(f.check)) continue;
    const key =
      f.check === 'not_a_server_error' ? `${f.check} ${f.method} ${f.path}` : `${f.check} ${f.message}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const folded = [...groups.values()].map((g) => {
    const first = g[0] as Finding;
    if (g.length === 1) return first;
    const routes = new Set(g.map((f) => `${f.method} ${f.path}`));
    const statuses = [...new Set(g.map((f) => f.status))].sort();
    const [method, path] = routes.size === 1 ? [first.method, first.path] : ['', `(${routes.size} routes)`];
    const count = g.reduce((n, f) => n + f.count, 0);
    return { ...first, method, path, status: statuses.join('/'), count };
  });
  return describeFindings(folded, checks, 300);
}

/** The API's own account of its 5xx: errors it logged (pino level ≥ 50), counted by type and message. */
export function apiErrors(logPath: string): string[] {
  const counts = new Map<string, number>();
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { level?: number; msg?: string; err?: { type?: string; message?: string } };
    if ((e.level ?? 0) < 50) continue;
    const key = `${e.err?.type ?? e.msg}: ${(e.err?.message ?? '').slice(0, 160)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`);
}

/** Requests of the must-fail runs that were not refused, once per method, path and status. */
export function distinctAnswers(rows: RunReport['notRejected']): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.status ?? 'no answer'} ${r.method} ${r.url.split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`);
}

/**
 * Workflows the worker could not run (the SDK logs "Workflow failed" for every failed workflow
 * task, and retries it for ever): a request answered 2xx that started one has left stuck work.
 */
export function workerFailures(logPath: string): string[] {
  const counts = new Map<string, number>();
  let id: string | undefined;
  let inBlock = false;
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (line.includes('[WARN] Workflow failed {')) {
      inBlock = true;
      id = undefined;
      continue;
    }
    if (!inBlock) continue;
    id ??= /workflowId: '([^']*)'/.exec(line)?.[1];
    const error = /^\s*(\w*Error): (.*)$/.exec(line);
    if (id && error) {
      const key = `${id}: ${error[1]}: ${(error[2] ?? '').slice(0, 160)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      inBlock = false;
    }
  }
  return [...counts].map(([k, n]) => `${k} (${n} failed tasks)`);
}
