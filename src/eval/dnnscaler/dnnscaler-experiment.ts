/**
 * `sluice eval dnnscaler`: DNNScaler (papers.md §5) against Clipper's AIMD batch control, per model:
 * DNNScaler's profiler verdict (batching or co-location) and knob, then the throughput each online
 * controller sustains at the model's latency target in the simulator (Sluice's engine and control loop,
 * Poisson load ramped up then held, both controllers starting at batch 1 on the same allocation).
 * Quick mode: three models (a ResNet, the co-located OCR detector, a GPU model), shorter runs and a
 * coarser bisection.
 */
import type { Experiment, ExperimentContext, ExperimentReport } from '../experiment.js';
import { caseVerdict, runController, type RunSettings } from './controller-run.js';
import { dnnscalerCases } from './dnnscaler-cases.js';
import type { CaseResult } from './case-result.js';
import { dnnscalerReport } from './dnnscaler-report.js';
import { searchThroughput } from './throughput-search.js';

const PAPER_CLAIM =
  'DNNScaler: 218% higher throughput than Clipper on average (3.18x), up to 14x, at the same latency target';

/** Full run: 30 s ramp, 60 s hold judged on its last 30 s, 7 bisection steps (0.8% of the ceiling). */
export const FULL_SETTINGS: RunSettings = { rampS: 30, holdS: 60, measureS: 30, periodMs: 3000, seed: 1 };
export const FULL_STEPS = 7;
export const QUICK_SETTINGS: RunSettings = { rampS: 9, holdS: 15, measureS: 9, periodMs: 3000, seed: 1 };
export const QUICK_STEPS = 3;
export const QUICK_CASES: readonly string[] = ['resnet18@local', 'ocr-det@local', 'dien@g4dn.xlarge'];

function run(context: ExperimentContext): ExperimentReport {
  const settings = context.quick ? QUICK_SETTINGS : FULL_SETTINGS;
  const steps = context.quick ? QUICK_STEPS : FULL_STEPS;
  const all = dnnscalerCases(context.shared);
  const cases = context.quick ? all.filter((c) => QUICK_CASES.includes(c.id)) : all;
  const results: CaseResult[] = cases.map((kase) => {
    const verdict = caseVerdict(kase);
    const dnnscaler = searchThroughput(kase, 'dnnscaler', steps, settings, context.solver);
    const clipper = searchThroughput(kase, 'clipper', steps, settings, context.solver);
    context.log(
      `${kase.id}: ${verdict?.approach ?? 'no verdict'}; DNNScaler ${dnnscaler.throughputRps.toFixed(1)} req/s, ` +
        `Clipper ${clipper.throughputRps.toFixed(1)} req/s (L ${kase.targetMs} ms)`,
    );
    return { kase, verdict, dnnscaler, clipper };
  });
  // The trace: both controllers at DNNScaler's throughput on the model where they differ most.
  const ratioOf = (r: CaseResult): number =>
    r.clipper.throughputRps > 0 ? r.dnnscaler.throughputRps / r.clipper.throughputRps : 0;
  const traced = results.reduce<CaseResult | undefined>(
    (best, r) =>
      r.dnnscaler.at !== undefined && (best === undefined || ratioOf(r) > ratioOf(best)) ? r : best,
    undefined,
  );
  const trace =
    traced?.dnnscaler.at === undefined
      ? undefined
      : {
          result: traced,
          dnnscaler: traced.dnnscaler.at,
          clipper: runController(
            traced.kase,
            'clipper',
            traced.dnnscaler.at.rateRps,
            settings,
            context.solver,
          ),
        };
  return dnnscalerReport({ results, trace, settings, steps, quick: context.quick, paperClaim: PAPER_CLAIM });
}

/** DNNScaler vs Clipper's AIMD: throughput at the latency target, per model. */
export const dnnscalerExperiment: Experiment = {
  name: 'dnnscaler',
  title: 'DNNScaler: batching or co-location vs Clipper AIMD, throughput at a latency target',
  paperClaim: PAPER_CLAIM,
  run,
};
