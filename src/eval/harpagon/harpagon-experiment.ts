/**
 * `sluice eval harpagon`: Harpagon (INFOCOM 2025, docs/papers.md §3) against Nexus on pipelines over a
 * mix of this machine's CPU and a derived T4-like accelerator: the cost of each planner's cheapest plan
 * that, run in Sluice's simulator, keeps ≥ 99% of requests within the SLO (equal attainment), and the
 * planning model's own ρ = 0.9 costs beside it. Workloads: the OCR pipeline at three rates, twelve seeded
 * random graphs, and (full runs) the OCR pipeline on the CPU alone. Same workload, seed and profiles for
 * every planner; the planners are the registered ones, unchanged.
 */
import type { Experiment, ExperimentChart, ExperimentContext, ExperimentReport } from '../experiment.js';
import { costChart, PAPER_RATIO_RANGE, ratioChart, sideBySideChart } from './harpagon-charts.js';
import { explainDifference } from './harpagon-explanation.js';
import { harpagonMarkdown } from './harpagon-report.js';
import { runWorkload, type WorkloadRuns } from './harpagon-runs.js';
import { headline, workloadFigures, type Headline, type WorkloadFigures } from './harpagon-summary.js';
import { harpagonWorkloads, QUICK_OCR_RATE_RPS } from './harpagon-workloads.js';

interface RunSize {
  readonly seconds: number;
  readonly rhos: readonly number[];
  readonly margins: readonly number[];
  readonly maxSimulations: number;
}

const FULL: RunSize = {
  seconds: 30,
  rhos: [1, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
  margins: [1, 0.8, 0.6],
  maxSimulations: 14,
};
const QUICK: RunSize = { seconds: 5, rhos: [0.9, 0.7, 0.5], margins: [1, 0.7], maxSimulations: 5 };
/** Share of requests within the SLO a plan must reach to count. */
export const ATTAINMENT_TARGET = 0.99;
const SEED = 1;
const PAPER_CLAIM = `${PAPER_RATIO_RANGE[0]}-${PAPER_RATIO_RANGE[1]}x lower serving cost than Nexus-like systems`;

export const harpagonExperiment: Experiment = {
  name: 'harpagon',
  title: 'Harpagon vs Nexus: cost of DNN pipelines on a CPU + accelerator mix at equal attainment',
  paperClaim: PAPER_CLAIM,
  run(context: ExperimentContext): ExperimentReport {
    const size = context.quick ? QUICK : FULL;
    const { mix, workloads } = harpagonWorkloads(context.shared, context.quick);
    const grid = size.rhos.flatMap((rho) => size.margins.map((margin) => ({ rho, margin })));
    const runs: WorkloadRuns[] = workloads.map((workload) =>
      runWorkload(workload, {
        solver: context.solver,
        grid,
        target: ATTAINMENT_TARGET,
        seconds: size.seconds,
        seed: SEED,
        maxSimulations: size.maxSimulations,
        log: context.log,
      }),
    );
    const figures = runs.map(workloadFigures);
    const head = headline(figures);
    const claim = claimOf(head, figures);
    const charts = chartsOf(runs, figures);
    const markdown = harpagonMarkdown({
      quick: context.quick,
      mix,
      ocrModules: workloads.find((w) => w.kind === 'ocr')?.problem.modules ?? [],
      workloads: figures,
      head,
      target: ATTAINMENT_TARGET,
      seconds: size.seconds,
      seed: SEED,
      rhos: size.rhos,
      margins: size.margins,
      claimLine: claim,
      explanation: explainDifference(figures, head, ATTAINMENT_TARGET),
      charts: charts.map((c) => ({ name: c.name, caption: CAPTIONS[c.name] ?? c.name })),
    });
    return {
      name: 'harpagon',
      title: harpagonExperiment.title,
      markdown,
      charts,
      figures: {
        setup: {
          quick: context.quick,
          seconds: size.seconds,
          seed: SEED,
          target: ATTAINMENT_TARGET,
          rhos: size.rhos,
          margins: size.margins,
          hardware: mix.hardware,
          accelerator: mix.accelerator,
        },
        headline: head,
        workloads: figures,
      },
      claim,
    };
  },
};

const CAPTIONS: Readonly<Record<string, string>> = {
  ratio: 'nexus / harpagon cost per workload, at equal attainment and as planned',
  'cost-ocr': 'cost per planner, OCR workloads',
  'cost-graphs': 'cost per planner, random graphs',
  timeseries: 'the OCR pipeline under harpagon and nexus, chosen plans',
};

function chartsOf(runs: readonly WorkloadRuns[], figures: readonly WorkloadFigures[]): ExperimentChart[] {
  const main = figures.filter((w) => w.kind !== 'ocr-cpu');
  const charts: ExperimentChart[] = [ratioChart(main)];
  const ocr = figures.filter((w) => w.kind !== 'graph');
  if (ocr.length > 0)
    charts.push(costChart('cost-ocr', 'OCR pipeline: cost at equal attainment', ocr, ATTAINMENT_TARGET));
  const graphs = figures.filter((w) => w.kind === 'graph');
  if (graphs.length > 0)
    charts.push(
      costChart('cost-graphs', 'Random graphs: cost at equal attainment', graphs, ATTAINMENT_TARGET),
    );
  const shown = runs.find((r) => r.workload.name === `ocr@${QUICK_OCR_RATE_RPS}`) ?? runs[0];
  const shownFigures = figures.find((f) => f.name === shown?.workload.name);
  if (shown !== undefined && shownFigures !== undefined) {
    const side = (['harpagon', 'nexus'] as const).map((p) => {
      const found = shown.byPlanner[p];
      return { planner: p, result: (found.chosen ?? found.closest).result };
    });
    charts.push(sideBySideChart(shownFigures, side));
  }
  return charts;
}

function claimOf(head: Headline, figures: readonly WorkloadFigures[]): ExperimentReport['claim'] {
  const x = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)}x`);
  const ocr = figures.filter((w) => w.kind === 'ocr');
  const parts = [
    `nexus / harpagon cost at ≥ ${(100 * ATTAINMENT_TARGET).toFixed(0)}% attainment: median ${x(head.all.median)} over ${head.all.count} workloads (range ${x(head.all.min)}-${x(head.all.max)})`,
    `OCR ${ocr.map((w) => x(w.ratio)).join(' / ')} at ${ocr.map((w) => w.rateRps).join(' / ')} images/s`,
    `random graphs median ${x(head.graphs.median)} (${x(head.graphs.min)}-${x(head.graphs.max)})`,
    `planning model alone median ${x(head.modelOnlyAll.median)}`,
  ];
  if (head.ocrCpuOnly.count > 0) parts.push(`CPU only median ${x(head.ocrCpuOnly.median)}`);
  if (head.unresolved.length > 0) parts.push(`no plan reached the target: ${head.unresolved.join(', ')}`);
  return {
    paper: PAPER_CLAIM,
    measured: parts.join('; '),
    met: head.all.median !== null && head.all.median >= PAPER_RATIO_RANGE[0],
  };
}
