/**
 * `sluice eval sponge` (papers.md §1): Sponge's dynamic per-request SLOs with in-place vertical scaling,
 * against Kubernetes' horizontal autoscaler (Sponge's "FA2"), its vertical one and peak provisioning,
 * on a Twitter slice whose requests carry the budgets Sponge derives from a 4G bandwidth log. Reports
 * each policy's SLO violations and average cores, and the paper's headline: HPA's violations over
 * Sponge's.
 */
import type { Experiment, ExperimentContext, ExperimentReport } from '../experiment.js';
import { explainSponge } from './sponge-explanation.js';
import { spongeCharts, spongeHeadline, spongeMarkdown } from './sponge-report.js';
import { runSponge } from './sponge-runs.js';
import { SPONGE_POLICIES, spongeSetup } from './sponge-setup.js';

const NAME = 'sponge';
const TITLE = 'Sponge: per-request SLOs and in-place vertical scaling vs HPA';
const PAPER_CLAIM = 'SLO violations often more than 15x lower than horizontal autoscaling (FA2)';
/** The paper's factor: "often more than 15x". */
const CLAIMED_FACTOR = 15;

function run(context: ExperimentContext): ExperimentReport {
  const setup = spongeSetup(context.quick, context.shared);
  context.log(
    `${setup.workload}: ${setup.countsRps.length} s, peak ${setup.peakRps} req/s, ` +
      `${SPONGE_POLICIES.length} policies x ${setup.seeds.length} seed${setup.seeds.length === 1 ? '' : 's'}`,
  );
  const runs = runSponge(setup, context.solver, context.log);
  const headline = spongeHeadline(runs);
  const explanation = explainSponge(setup, runs, context.solver);
  const of = (id: string) => runs.policies.find((p) => p.policy === id);
  const hpa = of('hpa')?.violationRate ?? 0;
  const sponge = of('sponge')?.violationRate ?? 0;
  const factor = headline.hpaToSponge;
  const claim = {
    paper: PAPER_CLAIM,
    measured:
      `HPA's violations are ${factor === undefined ? '∞' : `${factor.toFixed(1)}x`} Sponge's ` +
      `(${(100 * hpa).toFixed(2)}% vs ${(100 * sponge).toFixed(2)}%), with Sponge at ` +
      `${(of('sponge')?.averageCores ?? 0).toFixed(2)} cores vs HPA's ${(of('hpa')?.averageCores ?? 0).toFixed(2)}`,
    met: factor === undefined ? hpa > 0 : factor >= CLAIMED_FACTOR,
  };
  const charts = spongeCharts(setup, runs);
  return {
    name: NAME,
    title: TITLE,
    markdown: spongeMarkdown(setup, runs, headline, claim, explanation.text, charts),
    charts,
    figures: {
      workload: setup.workload,
      seeds: setup.seeds,
      peakRps: setup.peakRps,
      startRps: setup.startRps,
      coldStartMs: setup.coldStartMs,
      policies: runs.policies,
      runs: runs.runs,
      unmeetable: runs.unmeetable,
      budgetPercentilesMs: runs.budgetPercentilesMs,
      hpaToSponge: headline.hpaToSponge ?? null,
      hpaToSpongePerSeed: headline.perSeed.map((s) => ({ seed: s.seed, hpaToSponge: s.hpaToSponge ?? null })),
      spongeCoresVsStaticPeak: headline.coresVsStaticPeak,
      spongeCoresVsStaticMin: headline.coresVsStaticMin,
      // The first seed's runs, per request by arrival second: their totals must match the run's counts.
      attributed: [...runs.detail].map(([policy, d]) => ({
        policy,
        seed: setup.seeds[0] ?? 1,
        arrivals: d.bySecond.arrivals.reduce((a, b) => a + b, 0),
        missed: d.bySecond.missed.reduce((a, b) => a + b, 0),
      })),
      explanation: explanation.figures,
    },
    claim,
  };
}

/** The Sponge experiment (`sluice eval sponge`). */
export const spongeExperiment: Experiment = {
  name: NAME,
  title: TITLE,
  paperClaim: PAPER_CLAIM,
  run,
};
