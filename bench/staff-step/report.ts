import os from 'node:os';
import type { HistoryFigures } from './history';
import { fmtMs, pct, printTable, ratio, reportErrors, type Sample } from './measure';

// The figures of bench/staff-step.ts: four tables printed at the end of the run.

export type Op = 'investigation' | 'economicCheck' | 'activityUpdate' | 'noopUpdate';

export interface Results {
  cfg: {
    highC: number;
    driveC: number;
    prepC: number;
    rounds: number;
    idempotency: boolean;
    fsyncOff: boolean;
  };
  ops: { op: Op; label: string }[];
  low: Record<Op, Sample>;
  high: Record<Op, Sample>;
  receipts: Sample;
  tp: { approvals: Sample; trivial: Sample; perStep: Record<string, Sample> };
  histories: HistoryFigures[];
  totalS: number;
}

const row = (label: string, c: number, s: Sample, base: Sample) => [
  label,
  String(c),
  String(s.ms.length),
  String(s.errors),
  fmtMs(pct(s.ms, 50)),
  fmtMs(pct(s.ms, 95)),
  fmtMs(pct(s.ms, 99)),
  ratio(pct(s.ms, 50), pct(base.ms, 50)),
  ratio(pct(s.ms, 95), pct(base.ms, 95)),
  ratio(pct(s.ms, 99), pct(base.ms, 99)),
];

export function printReport({ cfg: CFG, ops: OPS, low, high, receipts, tp, histories, totalS }: Results) {
  const cpu = os.cpus();
  console.log(`\nstaff-step bench, ${new Date().toISOString()}, measured part ${totalS.toFixed(0)} s`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}`,
  );
  console.log(
    `servers: Temporal dev server (in memory), private Postgres (${CFG.fsyncOff ? 'fsync off' : 'fsync on'}), worker and API as own processes, API over a real loopback socket; Idempotency-Key on every POST: ${CFG.idempotency ? 'yes' : 'no'}; ${CFG.rounds} rounds interleaving the operations\n`,
  );
  const head = ['operation', 'c', 'n', 'err', 'p50', 'p95', 'p99', 'p50÷bare', 'p95÷bare', 'p99÷bare'];
  const body = [
    ...OPS.map(({ op, label }) => row(label, 1, low[op], low.noopUpdate)),
    ...OPS.map(({ op, label }) => row(label, CFG.highC, high[op], high.noopUpdate)),
    row(`receipt POST /v1/applications (preparation)`, CFG.prepC, receipts, high.noopUpdate),
  ];
  printTable(head, body, ['l']);
  for (const [name, s] of Object.entries({ ...low, ...high, receipts })) reportErrors(name, s);

  const rate = (s: Sample) => (s.ms.length / s.wallMs) * 1000;
  console.log('');
  printTable(
    ['throughput at c', 'c', 'n', 'err', 'per s', 'p50', 'p99', 'ratio'],
    [
      [
        'applications receipt → approval',
        String(CFG.driveC),
        String(tp.approvals.ms.length),
        String(tp.approvals.errors),
        rate(tp.approvals).toFixed(2),
        fmtMs(pct(tp.approvals.ms, 50)),
        fmtMs(pct(tp.approvals.ms, 99)),
        (rate(tp.approvals) / rate(tp.trivial)).toFixed(3),
      ],
      [
        'trivial workflow start → complete',
        String(CFG.driveC),
        String(tp.trivial.ms.length),
        String(tp.trivial.errors),
        rate(tp.trivial).toFixed(2),
        fmtMs(pct(tp.trivial.ms, 50)),
        fmtMs(pct(tp.trivial.ms, 99)),
        '1',
      ],
      ...Object.entries(tp.perStep).map(([k, s]) => [
        `  step ${k} (while driving)`,
        String(CFG.driveC),
        String(s.ms.length),
        '',
        '',
        fmtMs(pct(s.ms, 50)),
        fmtMs(pct(s.ms, 99)),
        '',
      ]),
    ],
    ['l'],
  );
  reportErrors('approvals', tp.approvals);
  reportErrors('trivial', tp.trivial);

  console.log('');
  const mean = (f: (h: HistoryFigures) => number) =>
    histories.reduce((t, h) => t + f(h), 0) / (histories.length || 1);
  const range = (f: (h: HistoryFigures) => number) => {
    const v = histories.map(f);
    return v.length ? `${mean(f).toFixed(1)} (${Math.min(...v)}–${Math.max(...v)})` : '–';
  };
  printTable(
    ['history per approved application', `mean (min–max) of ${histories.length}`],
    [
      ['events', range((h) => h.events)],
      [
        'JSON KB, compact (`temporal workflow show -o json`)',
        range((h) => Math.round(h.jsonBytes / 102.4) / 10),
      ],
      ['JSON KB, indented by 2 (as the CLI prints it)', range((h) => Math.round(h.prettyBytes / 102.4) / 10)],
      ['protobuf KB (encoded History)', range((h) => Math.round(h.protoBytes / 102.4) / 10)],
      ['workflow tasks completed', range((h) => h.workflowTasks)],
      ['activities scheduled', range((h) => h.activities)],
      ['local activities (markers)', range((h) => h.localActivities)],
      ['other markers (patches, side effects)', range((h) => h.otherMarkers)],
      ['search-attribute upserts', range((h) => h.upserts)],
      ['timers started', range((h) => h.timers)],
      ['Updates accepted', range((h) => h.updates)],
    ],
    ['l'],
  );
  // Where a step's time went inside Temporal, from the approved applications' event times (c=20).
  const names = [...new Set(histories.flatMap((h) => Object.keys(h.steps)))];
  const stepMean = (name: string, k: 'waitMs' | 'runMs') => {
    const v = histories.flatMap((h) => (h.steps[name] ? [h.steps[name][k]] : []));
    return v.length ? `${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)} ms` : '–';
  };
  printTable(
    [
      'step (Update) of the approved applications',
      'its task queued (scheduled → started)',
      'on the worker (started → completed)',
    ],
    names.map((n) => [n, stepMean(n, 'waitMs'), stepMean(n, 'runMs')]),
    ['l'],
  );

  console.log('\nsummary (ratios to the bare Update and the trivial workflow)');
  const inv = (s: Record<Op, Sample>, p: number) =>
    ratio(pct(s.investigation.ms, p), pct(s.noopUpdate.ms, p));
  printTable(
    ['figure', 'measured'],
    [
      [
        'staff step p50 / p99 ÷ bare Update, c=1',
        `${inv(low, 50)} / ${inv(low, 99)} (${fmtMs(pct(low.investigation.ms, 50))} / ${fmtMs(pct(low.investigation.ms, 99))} vs ${fmtMs(pct(low.noopUpdate.ms, 50))} / ${fmtMs(pct(low.noopUpdate.ms, 99))})`,
      ],
      [
        `staff step p50 ÷ bare Update, c=${CFG.highC}`,
        `${inv(high, 50)} (${fmtMs(pct(high.investigation.ms, 50))} vs ${fmtMs(pct(high.noopUpdate.ms, 50))})`,
      ],
      [
        `approvals/s ÷ trivial workflows/s, c=${CFG.driveC}`,
        `${rate(tp.approvals).toFixed(2)} / ${rate(tp.trivial).toFixed(2)} = ${(rate(tp.approvals) / rate(tp.trivial)).toFixed(3)}`,
      ],
      [
        'history per approved application',
        `${mean((h) => h.events).toFixed(0)} events, ${(mean((h) => h.jsonBytes) / 1024).toFixed(0)} KB compact JSON, ${(mean((h) => h.prettyBytes) / 1024).toFixed(0)} KB indented, ${(mean((h) => h.protoBytes) / 1024).toFixed(0)} KB protobuf (${mean((h) => h.workflowTasks).toFixed(0)} workflow tasks, ${mean((h) => h.activities).toFixed(0)} activities, ${mean((h) => h.localActivities).toFixed(0)} local activities, ${mean((h) => h.upserts).toFixed(0)} search-attribute upserts)`,
      ],
    ],
    ['l', 'l'],
  );
}
