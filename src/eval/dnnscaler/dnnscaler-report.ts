/**
 * The DNNScaler experiment's report: setup, the profiler verdict per model, the throughput each
 * controller sustains at L with the ratio, the paper's claim beside the measured average, a controller
 * trace, and what explains the difference, computed from the runs (explained in `dnnscaler-findings.ts`).
 */
import type { DnnscalerVerdict } from '../../planner/dnnscaler/dnnscaler-verdict.js';
import { markdownTable } from '../../report/markdown-table.js';
import type { ExperimentChart, ExperimentReport } from '../experiment.js';
import { throughputRatio, type ReportInput, type TraceRuns, type CaseResult } from './case-result.js';
import type { ControllerRun } from './controller-run.js';
import { formatChange as pct, formatMs as ms, formatRatio as x, formatRps as rps } from './report-format.js';
import { PAPER_AVERAGE_RATIO, ratioChart, throughputChart, traceChart } from './dnnscaler-charts.js';
import { TARGET_MULTIPLE } from './dnnscaler-cases.js';
import { claimReason, explainFindings, knobGains, setupText } from './dnnscaler-findings.js';
import type { ThroughputSearch } from './throughput-search.js';

export function dnnscalerReport(input: ReportInput): ExperimentReport {
  const { results } = input;
  const ratios = results.map(throughputRatio);
  const defined = ratios.filter((r): r is number => r !== undefined);
  const average = defined.length === 0 ? 0 : defined.reduce((a, b) => a + b, 0) / defined.length;
  const max = defined.length === 0 ? 0 : Math.max(...defined);
  const best = results[ratios.indexOf(max)];
  const met = average >= PAPER_AVERAGE_RATIO;
  const measured =
    `Sluice: DNNScaler ${x(average)} Clipper on average (${pct(average)}), ` +
    `at most ${x(max)}${best === undefined ? '' : ` (${best.kase.id})`}, over ${defined.length} models`;
  const charts: ExperimentChart[] = [ratioChart(results, ratios), throughputChart(results)];
  if (input.trace !== undefined)
    charts.push(traceChart(input.trace.result, input.trace.dnnscaler, input.trace.clipper));
  const markdown = [
    `# DNNScaler: batching or co-location vs Clipper's AIMD, throughput at a latency target`,
    input.quick
      ? `\n_Quick run: ${results.length} models, shorter runs, ${input.steps} bisection steps._`
      : '',
    `\n## Setup\n\n${setupText(input)}`,
    `\n## DNNScaler's profiler verdict\n\n${verdictTable(results)}`,
    `\n## Throughput at the latency target\n\n${throughputTable(results, ratios)}`,
    `\nAverage DNNScaler / Clipper: **${x(average)}**; largest **${x(max)}**; smallest ${x(Math.min(...defined))}.`,
    `\n![ratio](ratio.svg)\n\n![throughput](throughput.svg)`,
    `\n## Claim\n\n- Paper: ${input.paperClaim}.\n- ${measured}.\n- ${met ? 'Met' : 'Not met'}: the paper's average is ${PAPER_AVERAGE_RATIO}x. ${claimReason(results, average)}`,
    input.trace === undefined
      ? ''
      : `\n## Controller trace\n\n${traceText(input.trace)}\n\n![trace](trace.svg)`,
    `\n## What explains the difference\n\n${explainFindings(results, ratios)}`,
  ].join('\n');
  return {
    name: 'dnnscaler',
    title: 'DNNScaler: batching or co-location vs Clipper AIMD, throughput at a latency target',
    markdown: `${markdown}\n`,
    charts,
    figures: figuresOf(input, ratios, average, max),
    claim: { paper: input.paperClaim, measured, met },
  };
}

function verdictTable(results: readonly CaseResult[]): string {
  const rows = results.map((r) => {
    const g = knobGains(r);
    const k = r.kase;
    return [
      k.id,
      k.request,
      k.totalCores,
      ms(k.batchOneMs),
      ms(k.targetMs),
      r.verdict?.batching === undefined
        ? '—'
        : `b=${r.verdict.batching.batch}: ${rps(r.verdict.batching.throughputRps)} (${x(g.batching)})`,
      k.colocatedInstances === 1 || r.verdict?.colocation === undefined
        ? 'not measured'
        : `${r.verdict.colocation.instances} x ${cores(r.verdict.colocation.cores)}: ${rps(r.verdict.colocation.throughputRps)} (${x(g.colocation)})`,
      r.verdict?.approach ?? 'none fits L',
      r.verdict === undefined ? '—' : knobText(r.verdict),
    ];
  });
  return markdownTable(
    [
      'model@hardware',
      'request',
      'C cores',
      'l(1) ms',
      `L = ${TARGET_MULTIPLE}·l(1) ms`,
      'best batching, req/s (gain)',
      'best co-location, req/s (gain)',
      'verdict',
      'knob',
    ],
    rows,
    { align: [undefined, undefined, 'right', 'right', 'right'] },
  );
}

function throughputTable(results: readonly CaseResult[], ratios: readonly (number | undefined)[]): string {
  const rows = results.map((r, i) => [
    r.kase.id,
    r.verdict?.approach ?? '—',
    rps(r.kase.ceilingRps),
    rps(r.dnnscaler.throughputRps),
    latencies(r.dnnscaler.at),
    knobAtEnd(r.dnnscaler.at, r.verdict?.approach),
    rps(r.clipper.throughputRps),
    latencies(r.clipper.at),
    knobAtEnd(r.clipper.at),
    ratios[i] === undefined ? '—' : x(ratios[i]),
  ]);
  return markdownTable(
    [
      'model@hardware',
      'verdict',
      'ceiling req/s',
      'DNNScaler req/s',
      'mean / p95 ms',
      'knob at end',
      'Clipper req/s',
      'mean / p95 ms',
      'batch at end',
      'DNNScaler / Clipper',
    ],
    rows,
    {
      align: [
        undefined,
        undefined,
        'right',
        'right',
        'right',
        undefined,
        'right',
        'right',
        undefined,
        'right',
      ],
    },
  );
}

function traceText(trace: TraceRuns): string {
  const { kase } = trace.result;
  const d = trace.dnnscaler;
  const c = trace.clipper;
  const cut = c.firstCut;
  return (
    `${kase.id} at ${rps(d.rateRps)} req/s, DNNScaler's throughput there (the model where the two differ most). ` +
    `DNNScaler ends at ${knobAtEnd(d, trace.result.verdict?.approach)} with mean ${ms(d.meanMs)} ms (p95 ${ms(d.p95Ms)} ms) over the judged window; ` +
    `Clipper ends at ${knobAtEnd(c)} with mean ${ms(c.meanMs)} ms (p95 ${ms(c.p95Ms)} ms)` +
    (cut === undefined
      ? '.'
      : `; its first cut came at ${cut.tS.toFixed(0)} s, judging a period with mean ${ms(cut.judgedMeanMs)} ms and p95 ${ms(cut.judgedP95Ms)} ms against L = ${ms(kase.targetMs)} ms.`)
  );
}

function figuresOf(
  input: ReportInput,
  ratios: readonly (number | undefined)[],
  average: number,
  max: number,
): Record<string, unknown> {
  const search = (s: ThroughputSearch): Record<string, unknown> => ({
    throughputRps: s.throughputRps,
    meanMs: finite(s.at?.meanMs),
    p95Ms: finite(s.at?.p95Ms),
    finalBatch: s.at?.finalBatch ?? null,
    finalInstances: s.at?.finalInstances ?? null,
    probes: s.probes.map((p) => ({
      rateRps: p.rateRps,
      meanMs: finite(p.meanMs),
      p95Ms: finite(p.p95Ms),
      rejectedShare: p.rejectedShare,
      sustained: p.sustained,
      requests: p.requests,
      outcomes: p.outcomes,
      outcomeLines: p.outcomeLines,
      finalBatch: p.finalBatch,
    })),
  });
  return {
    settings: {
      ...input.settings,
      bisectionSteps: input.steps,
      targetMultiple: TARGET_MULTIPLE,
      quick: input.quick,
    },
    cases: input.results.map((r, i) => ({
      id: r.kase.id,
      family: r.kase.family,
      source: r.kase.source,
      request: r.kase.request,
      totalCores: r.kase.totalCores,
      batchOneMs: r.kase.batchOneMs,
      targetMs: r.kase.targetMs,
      spread: r.kase.spread,
      ceilingRps: r.kase.ceilingRps,
      verdict:
        r.verdict === undefined
          ? null
          : {
              approach: r.verdict.approach,
              knob: r.verdict.knob,
              batchingGain: knobGains(r).batching,
              colocationGain: knobGains(r).colocation,
            },
      dnnscaler: search(r.dnnscaler),
      clipper: search(r.clipper),
      ratio: ratios[i] ?? null,
    })),
    summary: {
      averageRatio: average,
      maxRatio: max,
      models: input.results.length,
      paperAverageRatio: PAPER_AVERAGE_RATIO,
    },
    trace:
      input.trace === undefined
        ? null
        : {
            id: input.trace.result.kase.id,
            rateRps: input.trace.dnnscaler.rateRps,
            dnnscaler: { meanMs: finite(input.trace.dnnscaler.meanMs), knobs: input.trace.dnnscaler.knobs },
            clipper: { meanMs: finite(input.trace.clipper.meanMs), knobs: input.trace.clipper.knobs },
          },
  };
}

function knobText(v: DnnscalerVerdict): string {
  return v.approach === 'batching'
    ? `batch ${v.knob.batch} on ${cores(v.knob.cores)}`
    : `${v.knob.instances} x ${cores(v.knob.cores)}, batch 1`;
}

function cores(n: number): string {
  return `${n} core${n === 1 ? '' : 's'}`;
}

/** The knob in force at the end of a run: instances for DNNScaler's co-location, else the batch. */
function knobAtEnd(run: ControllerRun | undefined, approach?: DnnscalerVerdict['approach']): string {
  if (run === undefined) return '—';
  if (approach === 'co-location')
    return `${run.finalInstances} instance${run.finalInstances === 1 ? '' : 's'}`;
  return `batch ${run.finalBatch}`;
}

function latencies(run: ControllerRun | undefined): string {
  return run === undefined ? '—' : `${ms(run.meanMs)} / ${ms(run.p95Ms)}`;
}

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}
