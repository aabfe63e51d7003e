/**
 * The `sluice` experiment's page: the setup (workload, SLO, budget, profiles, the shared loop), every
 * policy with its knobs and reading, the side-by-side table, the claim beside Sluice's figures, the
 * charts, and the explanation computed from the runs.
 */
import { estimateLatencyMs } from '../../core/latency-model.js';
import { markdownTable } from '../../report/markdown-table.js';
import type { ExperimentChart } from '../experiment.js';
import type { SluicePolicy } from './sluice-policies.js';
import type { SluiceRuns } from './sluice-runs.js';
import type { SluiceSetup } from './sluice-setup.js';
import type { SluiceVerdict } from './sluice-verdict.js';

export interface SluiceClaim {
  readonly paper: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface SluicePageInputs {
  readonly setup: SluiceSetup;
  readonly policies: readonly SluicePolicy[];
  readonly runs: SluiceRuns;
  readonly verdict: SluiceVerdict;
  readonly claim: SluiceClaim;
  readonly explanation: string;
  readonly charts: readonly ExperimentChart[];
}

/** The whole page. */
export function sluiceMarkdown(inputs: SluicePageInputs): string {
  const { setup, policies, runs, verdict, claim, explanation, charts } = inputs;
  return [
    '# Sluice: every knob at once against each single technique and Triton',
    '',
    setupParagraph(setup, runs),
    '',
    loopParagraph(setup),
    '',
    '**Policies.**',
    '',
    ...policies.map(
      (p) =>
        `- \`${p.id}\`${p.role === 'sensitivity' ? ' (sensitivity, not in the claim)' : ''}: ${p.reading}`,
    ),
    '',
    '## Results',
    '',
    resultsTable(runs).trimEnd(),
    '',
    `Seed ${setup.seed}, one run per policy. Attainment: requests answered within their own budget, of all ` +
      'requests (refused at admission, expired in the queue and late all miss). Cores: allocated, starting and ' +
      `resizing instances included; $ at ${dollars(setup.pricePerCoreHour)} per core-hour.`,
    '',
    `**Claim (the mission's).** ${capitalise(claim.paper)}. **Sluice:** ${claim.measured}. ` +
      `**${claim.met ? 'Met' : 'Not met'}.** ` +
      verdictReason(verdict),
    '',
    ...charts.map((c) => `![${c.name}](${c.name}.svg)`),
    '',
    '## What explains the difference',
    '',
    explanation,
    '',
  ].join('\n');
}

function setupParagraph(setup: SluiceSetup, runs: SluiceRuns): string {
  const counts = Array.from(setup.countsRps);
  const mean = counts.reduce((s, n) => s + n, 0) / Math.max(1, counts.length);
  const sorted = [...runs.budgetsMs].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const variants = setup.family.variants
    .map((v) => {
      const m = v.latency[setup.hardware.name];
      const l11 = m === undefined ? Number.NaN : estimateLatencyMs(m, 1, 1);
      return `${v.name} (top-1 ${v.accuracy.toFixed(3)}, l(1,1) = ${Math.round(l11)} ms, cold start ${((v.loadMs ?? 0) / 1000).toFixed(1)} s)`;
    })
    .join(', ');
  const basis = setup.dampingBasis;
  return [
    `**Workload.** \`${setup.workload}\`: ${counts.length} s of InfAdapter's Twitter slice (day 15, minutes ` +
      `82-103${setup.quick ? `; quick run: its first ${counts.length} s only` : ''}), every count ÷ ${setup.damping}, ` +
      `${Math.min(...counts)}-${Math.max(...counts)} req/s (mean ${mean.toFixed(1)}), Poisson arrivals within ` +
      `each second. The damping is the slice's raw peak (${basis.rawPeakRps} req/s) over what the most accurate ` +
      `variant (${basis.variant}) carries on the whole ${setup.budgetCores}-core budget within the SLO under the ` +
      `planning model (${basis.capacityRps.toFixed(1)} req/s), rounded: at the peak accuracy must be traded for ` +
      'capacity, below it the budget leaves room, so variants, cores and the budget all matter.',
    '',
    `**SLO.** ${setup.sloMs} ms end to end; each request's budget is the SLO minus the upload of a ` +
      `${setup.payloadKB[0]}-${setup.payloadKB[1]} KB image over Sponge's 4G bus log (\`report_bus_0001.log\`): ` +
      `budgets p1 ${Math.round(at(0.01))} ms, p10 ${Math.round(at(0.1))} ms, median ${Math.round(at(0.5))} ms. ` +
      'This setting (rather than a fixed p99 SLO) keeps every technique meaningful: Sponge’s per-request ' +
      'budgets and Sluice’s budget classes have work to do, and variants, batching, instance shapes and the ' +
      'hardware budget still decide the cost.',
    '',
    `**Model, hardware, budget.** Module \`resnet\` with the full ResNet family profiled on this machine ` +
      '(`experiments/profiles/resnet-full`, onnxruntime on a 2-core AMD EPYC VM, 0.5-2 cores, batches 1-8), ' +
      `the fitted l(b,c) = γ·b/c + δ·b + ε/c + η extrapolated to instances of 1-${setup.hardware.maxCores} cores, ` +
      `batches up to 8, batch times drawn around it with the measured spread: ${variants}; nominal torchvision ` +
      `top-1 accuracies. One cpu kind, instances of up to ${setup.hardware.maxCores} cores priced as a c5.2xlarge ` +
      `(${dollars(setup.instancePricePerHour)}/h for 8 vCPUs, KAIROS's \`price.csv\`: ` +
      `${dollars(setup.pricePerCoreHour)} per core-hour), and a budget of ${setup.budgetCores} cores ` +
      "(InfAdapter's). The single-variant systems (Sponge, DNNScaler, Harpagon, KAIROS, Triton) serve ResNet-50, " +
      'the middle of the family and the usual serving benchmark; Sluice and InfAdapter choose among all five.',
  ].join('\n');
}

function loopParagraph(setup: SluiceSetup): string {
  return (
    "**The same loop and engine for all.** Every adaptive policy runs in Sluice's control loop with its " +
    'defaults: observe and plan every 1 s for the highest rate of the last 60 s + 10% (window-max) plus any ' +
    'backlog, variants changed at most every 30 s, a cheaper plan applied only after 30 s of cheaper ' +
    'proposals, at most 12 changes a minute, the observed budgets cut into 3 classes; the same engine (EDF ' +
    'queue, deadline-aware batcher, admission that refuses what cannot finish in time; for Triton that is ' +
    'kinder than its FIFO dynamic batcher) and actuator (in-place resize in ' +
    `${setup.resizeMs} ms, measured here: BENCHMARKS.md; new instances after their profiled cold start). ` +
    'The systems’ own loops (Sponge’s 1-s re-plan without stabilisation, InfAdapter’s 30-s decisions and ' +
    'rollouts, DNNScaler’s 3-s controller) are measured in their own experiments; here only the planner, the ' +
    'problem it is handed and (KAIROS) the dispatch differ. Every run starts from its planner’s plan for the ' +
    `rate its predictor would see in the minute before (${setup.bootstrapRps.toFixed(1)} req/s).`
  );
}

function resultsTable(runs: SluiceRuns): string {
  const rows = runs.runs.map(({ policy, summary: s }) => [
    policy.role === 'sensitivity' ? `${policy.label} (sensitivity)` : policy.label,
    policy.knobs,
    `${(100 * s.attainment).toFixed(2)}%`,
    `${s.outcomes.rejected} / ${s.outcomes.expired} / ${s.late}`,
    Math.round(s.coreSeconds),
    s.averageCores.toFixed(2),
    dollars(s.dollars),
    s.accuracy.toFixed(4),
    s.planChanges,
    Math.round(s.p99Ms),
  ]);
  return markdownTable(
    [
      'policy',
      'knobs',
      'SLO attainment',
      'refused / expired / late',
      'core-seconds',
      'average cores',
      'cost',
      'accuracy served',
      'plan changes',
      'p99 (ms)',
    ],
    rows,
    { align: [undefined, undefined, 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
}

function verdictReason(v: SluiceVerdict): string {
  if (v.met) return 'Sluice reaches the bar and no other policy that does holds fewer core-seconds.';
  const reasons: string[] = [];
  if (!v.reachesBar)
    reasons.push(
      `Sluice's attainment is ${((v.bar - v.sluice.attainment) * 100).toFixed(2)} points below the bar`,
    );
  if (!v.cheapest && v.cheapestRival !== undefined) {
    const cheaper = v.rivals.filter((r) => r.coreSeconds < v.sluice.coreSeconds);
    const lessAccurate = cheaper.every((r) => r.accuracy < v.sluice.accuracy);
    reasons.push(
      `${cheaper.map((r) => r.label).join(', ')} reach${cheaper.length === 1 ? 'es' : ''} the bar with ` +
        'fewer core-seconds' +
        (lessAccurate
          ? `, each at a lower accuracy served (the cost paragraph below gives what Sluice bought with the difference)`
          : ''),
    );
  }
  return `${reasons.join('; ')}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dollars(x: number): string {
  return `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;
}
