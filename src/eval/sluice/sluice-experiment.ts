/**
 * `sluice eval sluice`: Sluice's default planner, which holds every knob of the planning model at once,
 * against each single-technique planner (Sponge, InfAdapter, DNNScaler, Harpagon, KAIROS) with its own
 * knobs and the Triton static baseline, on InfAdapter's Twitter slice with Sponge's per-request budgets,
 * the full ResNet family profiled on this machine and a 20-core budget; the same control loop, engine,
 * workload and seed for every policy. Reports attainment, core-seconds and $, accuracy served, plan
 * changes and p99, and the mission's claim: the latency objective met at the lowest cost.
 */
import type { Experiment, ExperimentContext, ExperimentReport } from '../experiment.js';
import { sluiceCharts } from './sluice-charts.js';
import { explainSluice } from './sluice-explanation.js';
import { SLUICE_POLICIES } from './sluice-policies.js';
import { sluiceMarkdown } from './sluice-report.js';
import { runPolicies } from './sluice-runs.js';
import { sluiceSetup } from './sluice-setup.js';
import { ATTAINMENT_TOLERANCE, sluiceVerdict, verdictLine } from './sluice-verdict.js';

const NAME = 'sluice';
const TITLE = 'Sluice: every knob at once vs each single technique and Triton, on a Twitter slice';
const PAPER_CLAIM =
  'meets the latency objective at the lowest cost: attainment within 0.5 points of the best single ' +
  'technique, with no more core-seconds than any policy that reaches it';

function run(context: ExperimentContext): ExperimentReport {
  const setup = sluiceSetup(context.quick, context.shared);
  context.log(
    `${setup.workload}: ${setup.countsRps.length} s, peak ${Math.max(...setup.countsRps)} req/s, ` +
      `${SLUICE_POLICIES.length} policies, seed ${setup.seed}`,
  );
  const runs = runPolicies(setup, SLUICE_POLICIES, context.solver, context.log);
  const summaries = runs.runs.map((r) => r.summary);
  const verdict = sluiceVerdict(summaries);
  const claim = { paper: PAPER_CLAIM, measured: verdictLine(verdict), met: verdict.met };
  const explanation = explainSluice(setup, runs, verdict);
  const charts = sluiceCharts(setup, runs.runs, verdict);
  return {
    name: NAME,
    title: TITLE,
    markdown: sluiceMarkdown({
      setup,
      policies: SLUICE_POLICIES,
      runs,
      verdict,
      claim,
      explanation: explanation.markdown,
      charts,
    }),
    charts,
    figures: {
      quick: setup.quick,
      workload: setup.workload,
      seed: setup.seed,
      damping: setup.damping,
      dampingBasis: setup.dampingBasis,
      sloMs: setup.sloMs,
      budgetCores: setup.budgetCores,
      pricePerCoreHour: setup.pricePerCoreHour,
      bootstrapRps: setup.bootstrapRps,
      fastestMs: runs.fastestMs,
      unmeetable: runs.unmeetable,
      policies: summaries,
      verdict: {
        bestTechnique: verdict.bestTechnique.id,
        bar: verdict.bar,
        tolerance: ATTAINMENT_TOLERANCE,
        reachesBar: verdict.reachesBar,
        rivals: verdict.rivals.map((r) => r.id),
        cheapestRival: verdict.cheapestRival?.id ?? null,
        cheapest: verdict.cheapest,
        met: verdict.met,
      },
      explanation: explanation.figures,
    },
    claim,
  };
}

/** The experiment `sluice` (see the file comment). */
export const sluiceExperiment: Experiment = {
  name: NAME,
  title: TITLE,
  paperClaim: PAPER_CLAIM,
  run,
};
