/**
 * The DNNScaler report's prose that depends on the data: the setup paragraph (models, targets, spreads
 * as measured), the knobs' gains over batch 1, and what explains each controller's throughput, read
 * off the probes (where each cut its knob first, where it collapsed, how far from the ceiling it got).
 */
import { estimateLatencyMs } from '../../core/latency-model.js';
import type { ControllerRun } from './controller-run.js';
import { MAX_REJECTED_SHARE, RAMP_STEPS } from './controller-run.js';
import { KAIROS_ITEMS_PER_REQUEST, TARGET_MULTIPLE } from './dnnscaler-cases.js';
import type { CaseResult, ReportInput } from './case-result.js';
import { formatChange as pct, formatMs as ms, formatRatio as x, formatRps as rps } from './report-format.js';
import { CEILING_MARGIN } from './throughput-search.js';

/** Ratios within this of 1 count as a tie (the bisection's resolution and run-to-run noise). */
const TIE = 0.05;

/** The best batching and co-location knobs' throughput within L over batch 1 on all C cores (both at ρ). */
export function knobGains(result: CaseResult): { batching: number; colocation: number } {
  const { kase, verdict } = result;
  const model = kase.variant.latency[kase.hardware.name];
  const rho = kase.problem.utilisationCap ?? 0.9;
  const base = model === undefined ? 0 : (1000 * rho) / estimateLatencyMs(model, 1, kase.totalCores);
  const gain = (rps?: number): number => (base > 0 && rps !== undefined ? rps / base : 1);
  return {
    batching: gain(verdict?.batching?.throughputRps),
    colocation: gain(verdict?.colocation?.throughputRps),
  };
}

export function setupText(input: ReportInput): string {
  const { results, settings } = input;
  const ids = (family: string): string =>
    results
      .filter((r) => r.kase.family === family)
      .map((r) => r.kase.id)
      .join(', ');
  const families = [
    ids('resnet') === '' ? '' : `the full ResNets profiled on this machine (${ids('resnet')})`,
    ids('ocr') === '' ? '' : `the PP-OCRv4 modules at 320-px inputs profiled here (${ids('ocr')})`,
    ids('kairos') === ''
      ? ''
      : `KAIROS's recommendation models from its published AWS measurements (${ids('kairos')}), a request being one query of ${KAIROS_ITEMS_PER_REQUEST} items, so a batch of b is the published row at ${KAIROS_ITEMS_PER_REQUEST}·b items`,
  ].filter((s) => s !== '');
  const targets = results.map((r) => r.kase.targetMs);
  const spreads = results.map((r) => r.kase.spread);
  const precision = (100 * CEILING_MARGIN) / 2 ** input.steps;
  return [
    `**Models.** ${results.length} models: ${families.join('; ')}. Local profiles: experiments/profiles/ (CPU, 2 cores, batches 1-8, cgroup quota); KAIROS: shared/profiles/kairos-aws (g4dn.xlarge = NVIDIA T4 GPU with 4 vCPUs, c5n.2xlarge = 8 vCPUs; C is the type's vCPUs, one instance holding the whole machine). Each model has its whole hardware: C = all cores here, or one instance of the AWS type. The simulator draws each batch time as the measured median at (batch, cores) times a log-normal factor with the model's measured p99/p50 (${Math.min(...spreads).toFixed(2)}-${Math.max(...spreads).toFixed(2)}). Co-location is simulated only where it was measured: 2 instances x 1 core at batch 1 on this machine, whose measured latency (interference included) is what a co-located instance takes; KAIROS measured one query at a time, so there DNNScaler has only batching.`,
    `**Latency target.** L = ${TARGET_MULTIPLE} x the model's median batch-1 latency on C (${ms(Math.min(...targets))}-${ms(Math.max(...targets))} ms): room for a few batched requests plus queueing.`,
    `**Load and measure.** Poisson arrivals at rate r, ramped up in ${RAMP_STEPS} equal steps from r/${RAMP_STEPS} to r over ${settings.rampS} s, then held for ${settings.holdS} s. A rate is sustained when the requests arriving in the last ${settings.measureS} s have a mean end-to-end latency (queueing included) ≤ L and at most ${100 * MAX_REJECTED_SHARE}% are refused by a full queue (it holds 10 L of work at the ceiling); every request is served however late. The batcher sends whatever is queued, up to the batch in force, as soon as an instance is free (no waiting to fill a batch). Throughput at L = the highest sustained rate, by bisection over [0, ${CEILING_MARGIN} x ceiling] with ${input.steps} fresh runs per controller, each starting at batch 1 (resolution ${precision.toFixed(1)}% of the ceiling; the ceiling is the best knob's median service rate, which nothing sustains). Both controllers see the same arrivals and the same seeded batch-time stream (seed ${settings.seed}) at a given rate.`,
    `**Controllers**, both in Sluice's control loop with one decision per ${settings.periodMs / 1000}-s period, every decision applied (no scale-down stabilisation, no change cap):`,
    `- **DNNScaler** (papers.md §5): the profiler verdict (src/planner/dnnscaler/dnnscaler-verdict.ts: the best batching knob against the best co-location knob within L on C cores, on the planning model at ρ = 0.9) picks the approach; then its online controller (src/planner/dnnscaler/dnnscaler-controller.ts) runs on the mean latency the control loop observed over the period: the batch scaler binary-searches b in 1..maxBatch to keep the mean in [0.85 L, L]; the instance scaler starts at the largest k whose estimated latency is below L and moves one instance after 2 periods outside the band. It runs as a planner whose controller state travels in its plan (dnnscaler-online-planner.ts).`,
    `- **Clipper** (Crankshaw et al., NSDI 2017: adaptive batching by AIMD, DNNScaler's baseline; papers.md §5): src/planner/baselines/clipper-planner.ts unchanged: +4 when the observed p95 < 0.85 L, x0.9 when it is > L, else keep; one instance on all C cores; batch 1 at start. Reading: Clipper's paper applies AIMD to the time to process a batch; Sluice's planner applies it to the p95 of request latency the loop observes (queueing included), the same signal DNNScaler reads as a mean.`,
  ].join('\n\n');
}

export function explainFindings(
  results: readonly CaseResult[],
  ratios: readonly (number | undefined)[],
): string {
  const parts: string[] = [gainsText(results)];
  const ahead = results.filter((_, i) => (ratios[i] ?? 1) > 1 + TIE);
  const tied = results.filter((_, i) => Math.abs((ratios[i] ?? 1) - 1) <= TIE);
  const behind = results.filter((_, i) => (ratios[i] ?? 1) < 1 - TIE);
  parts.push(
    `**Outcome.** DNNScaler serves more than ${pct(1 + TIE)} over Clipper on ${ahead.length} of ${results.length} models` +
      `${ahead.length > 0 ? ` (${ahead.map((r) => r.kase.id).join(', ')})` : ''}, ties within ±${100 * TIE}% on ${tied.length}` +
      `${tied.length > 0 ? ` (${tied.map((r) => r.kase.id).join(', ')})` : ''}` +
      `${behind.length > 0 ? `, and serves less on ${behind.length} (${behind.map((r) => r.kase.id).join(', ')})` : ''}.`,
  );
  if (ahead.length > 0) parts.push(aheadText(ahead));
  parts.push(collapseText(results));
  parts.push(ceilingText(results));
  parts.push(percentileText(results));
  const colocated = results.filter((r) => r.verdict?.approach === 'co-location');
  if (colocated.length > 0) parts.push(colocationText(colocated));
  return parts.join('\n\n');
}

function gainsText(results: readonly CaseResult[]): string {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const key =
      r.kase.family === 'kairos'
        ? `KAIROS on ${r.kase.hardware.name}`
        : r.kase.family === 'resnet'
          ? 'the ResNets (CPU)'
          : 'the OCR modules (CPU)';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [...groups].map(([name, rs]) => {
    const best = rs.reduce((a, b) => (bestGain(b) > bestGain(a) ? b : a));
    return `${name}: up to ${x(bestGain(best))} (${best.kase.id})`;
  });
  return (
    `**The knobs themselves.** What the best knob serves within L over batch 1 on the same hardware (DNNScaler's profiler, table above): ${lines.join('; ')}. ` +
    `The controllers can differ only inside that range; on this machine's CPU a 224x224 CNN's per-item time hardly changes with the batch or the number of instances (BENCHMARKS.md: ≤ 8% for the ResNets), and the paper's large ratios come from GPUs, where small batches leave the device idle.`
  );
}

function bestGain(r: CaseResult): number {
  const g = knobGains(r);
  return Math.max(g.batching, g.colocation);
}

/** How Clipper lost a rate DNNScaler sustained: the first thing that went wrong in its failed run. */
type ClipperLoss = 'stalled' | 'p95-cut' | 'mean-cut';

function clipperLoss(r: CaseResult): ClipperLoss | undefined {
  const failed = r.clipper.failed;
  if (failed === undefined) return undefined;
  const cut = failed.firstCut;
  const beforeCut = failed.knobs.filter((k) => cut === undefined || k.tS < cut.tS);
  const peak = Math.max(...beforeCut.map((k) => k.batch));
  if (peak < r.kase.module.maxBatch) return 'stalled';
  if (cut === undefined) return undefined;
  return cut.judgedMeanMs <= r.kase.targetMs && cut.judgedP95Ms > r.kase.targetMs ? 'p95-cut' : 'mean-cut';
}

function aheadText(ahead: readonly CaseResult[]): string {
  const of = (loss: ClipperLoss): CaseResult[] => ahead.filter((r) => clipperLoss(r) === loss);
  const stalled = of('stalled');
  const onP95 = of('p95-cut');
  const onMean = of('mean-cut');
  const cutExample = (r: CaseResult | undefined): string => {
    const failed = r?.clipper.failed;
    const cut = failed?.firstCut;
    if (r === undefined || failed === undefined || cut === undefined) return '';
    return ` (e.g. ${r.kase.id} at ${rps(failed.rateRps)} req/s: at ${cut.tS.toFixed(0)} s, mean ${ms(cut.judgedMeanMs)} ms, p95 ${ms(cut.judgedP95Ms)} ms, L ${ms(r.kase.targetMs)} ms; the run ended at batch ${failed.finalBatch})`;
  };
  const stallExample = (r: CaseResult | undefined): string => {
    const failed = r?.clipper.failed;
    if (r === undefined || failed === undefined) return '';
    return ` (e.g. ${r.kase.id} at ${rps(failed.rateRps)} req/s: it never passed batch ${Math.max(...failed.knobs.map((k) => k.batch))} of ${r.kase.module.maxBatch})`;
  };
  // Clipper's lowest failed probe lies at or below the first rate DNNScaler sustained and Clipper did not.
  const parts = [
    `**Where DNNScaler serves more.** Of these ${ahead.length} models, look at the lowest rate Clipper did not sustain (one DNNScaler sustained).`,
  ];
  if (onP95.length > 0)
    parts.push(
      `On ${onP95.length}, Clipper's first batch cut came while that period's mean latency was still within L${cutExample(onP95[0])}. AIMD acts on the p95, which crosses L at a lower load than the mean; once its x0.9 cuts bring the batch below what the load needs, the queue grows, the p95 rises further and the batch keeps falling. DNNScaler judges the mean, the very metric the throughput is measured on, so it holds its batch at rates where Clipper has already started to cut.`,
    );
  if (stalled.length > 0)
    parts.push(
      `On ${stalled.length}, Clipper's additive increase stopped short of the largest batch${stallExample(stalled[0])}: early in the ramp its p95 was already at 0.85 L or more, so it kept its small batch until the load outgrew it, while DNNScaler's binary search, seeing a mean under the band, jumped to the top half of the range in the first period.`,
    );
  if (onMean.length > 0)
    parts.push(
      `On ${onMean.length}, Clipper cut with the mean already over L${cutExample(onMean[0])}, as DNNScaler does above its own throughput.`,
    );
  return parts.join(' ');
}

function collapseText(results: readonly CaseResult[]): string {
  const failed = results
    .flatMap((r) => [r.dnnscaler.failed, r.clipper.failed])
    .filter((f): f is ControllerRun => f !== undefined);
  const toOne = failed.filter((f) => f.finalBatch === 1 && f.finalInstances === 1);
  return (
    `**Why neither goes higher.** In ${toOne.length} of the ${failed.length} lowest rates each controller did not sustain, it ended the run at batch 1 on one instance. ` +
    `Near the ceiling the latency above L is queueing, and both controllers answer latency above L by making the batch smaller (or removing an instance), which lowers capacity; neither raises the knob against latency, because both papers assume latency falls with the batch (true of the time to run a batch, not of queueing behind it).`
  );
}

function ceilingText(results: readonly CaseResult[]): string {
  const share = (f: (r: CaseResult) => number): number =>
    results.reduce((s, r) => s + f(r) / r.kase.ceilingRps, 0) / Math.max(1, results.length);
  const reachedTop = results.filter((r) =>
    (r.clipper.at?.knobs ?? []).some((k) => k.batch >= r.kase.module.maxBatch),
  );
  return (
    `**Distance to the ceiling.** On average DNNScaler sustains ${(100 * share((r) => r.dnnscaler.throughputRps)).toFixed(0)}% of the ceiling and Clipper ${(100 * share((r) => r.clipper.throughputRps)).toFixed(0)}%; the rest is the queueing a mean of L allows at that load. ` +
    `At its throughput Clipper reached the model's largest batch (${[...new Set(results.map((r) => r.kase.module.maxBatch))].sort((a, b) => a - b).join(', ')}) in ${reachedTop.length} of ${results.length} runs, a few +4 steps from batch 1, because the profiles stop there (DNNScaler's search range is 1-127): the slow additive climb that costs Clipper throughput on a 1-127 range costs little here.`
  );
}

function colocationText(colocated: readonly CaseResult[]): string {
  const lines = colocated.map((r) => {
    const g = knobGains(r);
    const ratio =
      r.clipper.throughputRps > 0 ? r.dnnscaler.throughputRps / r.clipper.throughputRps : undefined;
    const at = r.dnnscaler.at;
    const started = at?.knobs[0]?.instances ?? 1;
    const cut = at?.firstCut;
    const dropped =
      at !== undefined && at.finalInstances < started && cut !== undefined
        ? `; it started at ${started} instances and dropped one at ${cut.tS.toFixed(0)} s (that period's mean ${ms(cut.judgedMeanMs)} ms > L ${ms(r.kase.targetMs)} ms, the second such period in a row)`
        : '';
    return `${r.kase.id} (co-location ${x(g.colocation)}, batching ${x(g.batching)} over batch 1): DNNScaler ${rps(r.dnnscaler.throughputRps)} req/s, ending on ${at?.finalInstances ?? '—'} instance(s)${dropped}, vs Clipper ${rps(r.clipper.throughputRps)} req/s (${x(ratio)})`;
  });
  const drops = colocated.filter(
    (r) => (r.dnnscaler.at?.finalInstances ?? 1) < (r.dnnscaler.at?.knobs[0]?.instances ?? 1),
  );
  return (
    `**Co-location.** Where the verdict is co-location (the measured 2 x 1 core beats every batch within L): ${lines.join('; ')}.` +
    (drops.length === 0
      ? ''
      : ` In ${drops.length} of ${colocated.length} the instance scaler gave up the second instance at its own throughput rate: near L a 3-s mean is noisy, two periods over L remove an instance, and a count left for being too slow is re-tried only after 5 periods under 0.85 L, which a loaded single instance never sees. The co-location knob was worth at most ${x(Math.max(...drops.map((r) => knobGains(r).colocation)))} of batch 1 in these (the two instances share 2 cores and interfere), so that is all it could lose.`)
  );
}

/** One sentence: why the measured average falls short of (or meets) the paper's. */
export function claimReason(results: readonly CaseResult[], average: number): string {
  if (results.length === 0) return '';
  const best = results.reduce((a, b) => (bestGain(b) > bestGain(a) ? b : a));
  const ahead = results.filter(
    (r) => r.clipper.throughputRps > 0 && r.dnnscaler.throughputRps > (1 + TIE) * r.clipper.throughputRps,
  );
  const onP95 = ahead.filter((r) => clipperLoss(r) === 'p95-cut');
  const stalled = ahead.filter((r) => clipperLoss(r) === 'stalled');
  const maxBatch = Math.max(...results.map((r) => r.kase.module.maxBatch));
  return (
    `Measured reason: the best knob serves at most ${x(bestGain(best))} batch 1's rate within L on any model here (${best.kase.id}), so little rides on which knob a controller picks, and with at most ${maxBatch} requests per batch profiled, Clipper's +4 climb reaches the top within a few periods. ` +
    `What is left is how each reacts near L (${pct(average)} on average): on ${onP95.length} of the ${ahead.length} models where DNNScaler is ahead, Clipper's first cut at a rate DNNScaler sustained came while the mean was still within L (AIMD judges the p95, DNNScaler the mean)` +
    (stalled.length > 0
      ? `, and on ${stalled.length} Clipper's additive increase stalled below the largest batch.`
      : '.')
  );
}

/** How each controller's own percentile fares at its throughput (the throughput is judged on the mean). */
export function percentileText(results: readonly CaseResult[]): string {
  const over = (f: (r: CaseResult) => ControllerRun | undefined): number =>
    results.filter((r) => (f(r)?.p95Ms ?? 0) > r.kase.targetMs).length;
  return (
    `**The p95, and what each controller reads.** Throughput here is judged on the mean, DNNScaler's own target. At its throughput DNNScaler's p95 exceeds L on ${over((r) => r.dnnscaler.at)} of ${results.length} models; Clipper aims its p95 at L but does not hold it either (above L at its own throughput on ${over((r) => r.clipper.at)}), because cutting the batch does not shorten a queue. ` +
    `Both read request latency, queueing included: it is what Sluice's control loop observes. Clipper's paper runs AIMD on the time to process a batch, which never sees the queue, so that Clipper would not cut at these rates; src/planner/baselines/clipper-planner.ts, the baseline measured here, reads the request p95.`
  );
}
