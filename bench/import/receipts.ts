import { receiptBody, TOWNSHIP } from '../../test/helpers/fixtures';
import { uniqueHousehold } from '../staff-step/api';
import { pct } from '../staff-step/measure';

// The township's window beside an import: with BENCH_RECEIPTS_EVERY_MS > 0, one application received
// through the API every so many ms while the import runs (POST /v1/applications starts its workflow
// and answers after the workflow's first task: a new workflow's task waits in the task queue behind
// every first task the import has put there). Each step's latencies are printed and reset. The
// members are born in 1930–1938 (staff-step/api.ts uniqueHousehold), before every household of
// test/helpers/caseload.ts (from 1940).

export const RECEIPTS_EVERY_MS = Number(process.env.BENCH_RECEIPTS_EVERY_MS ?? 0);

export function receiptProbe(
  base: string,
  bearer: (c: { sub: string; role: string; region: string }) => string,
) {
  const auth = bearer({ sub: 'township-bench', role: 'township_staff', region: TOWNSHIP });
  let ms: number[] = [];
  let errors = 0;
  let firstError = '';
  let stopped = false;
  const one = async () => {
    const hh = uniqueHousehold({ applicant: '1930-01-01', member: '1930-01-01' });
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/applications`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(receiptBody(hh)),
    });
    const text = await res.text();
    if (res.status === 201) ms.push(performance.now() - t0);
    else {
      errors++;
      firstError ||= `${res.status} ${text.slice(0, 200)}`;
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const next = new Promise((r) => setTimeout(r, RECEIPTS_EVERY_MS));
      await one().catch((e: Error) => {
        errors++;
        firstError ||= e.message;
      });
      await next;
    }
  })();
  return {
    /** The step's receipts as a line; the latencies start again. */
    line() {
      const s = [...ms].sort((a, b) => a - b);
      const out = `receipts beside the import: ${s.length} (errors ${errors}${firstError ? `: ${firstError}` : ''}), p50 ${pct(s, 50).toFixed(0)} ms, p95 ${pct(s, 95).toFixed(0)} ms, max ${(s.at(-1) ?? 0).toFixed(0)} ms`;
      ms = [];
      errors = 0;
      firstError = '';
      return out;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
