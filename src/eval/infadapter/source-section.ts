/**
 * One profile source's part of the InfAdapter report: runs InfAdapter and VPA on every single variant
 * (policy-runs.ts), tabulates them side by side, picks the best single variant, measures InfAdapter's
 * reductions against each VPA run and checks the paper's figures, and writes the section's Markdown,
 * charts and figures.
 */
import { markdownTable } from '../../report/markdown-table.js';
import type { Solver } from '../../ports/solver.js';
import type { TwitterTrace } from '../../sim/workload/twitter-trace.js';
import type { ExperimentChart } from '../experiment.js';
import { explainDifference } from './explain-difference.js';
import { infadapterCharts } from './infadapter-charts.js';
import {
  bestSingleVariant,
  policyMetrics,
  reductionAgainst,
  type PolicyMetrics,
  type Reduction,
} from './policy-metrics.js';
import { bootstrapRateRps, INFADAPTER_ALPHA, runPolicies, type TraceSlice } from './policy-runs.js';
import { INFADAPTER_SLO_MS, type ProfileSource } from './profile-sources.js';

/** The paper's figures (papers.md §2): up to 65% fewer SLO violations and 33% lower cost than VPA. */
export const CLAIMED = { violations: 0.65, cost: 0.33 } as const;

export interface SourceFigures {
  readonly key: string;
  readonly workload: string;
  readonly damping: number;
  readonly bootstrapRateRps: number;
  /** Min, mean and max of the (damped) per-second counts of the slice. */
  readonly loadRps: { readonly min: number; readonly mean: number; readonly max: number };
  readonly policies: readonly PolicyMetrics[];
  readonly best: string;
  readonly reductions: readonly Reduction[];
  /** The paper's "up to": the largest reduction over the VPA runs, each metric on its own. */
  readonly upTo: {
    readonly violationReduction: number;
    readonly violationVs: string;
    readonly costReduction: number;
    readonly costVs: string;
  };
  readonly vsBest: Reduction;
  readonly met: boolean;
}

export interface SourceSection {
  readonly markdown: string;
  readonly charts: readonly ExperimentChart[];
  readonly figures: SourceFigures;
  /** One line for the claim: this source's figures. */
  readonly measured: string;
}

export interface SourceSectionInputs {
  readonly source: ProfileSource;
  readonly trace: TwitterTrace;
  readonly slice: TraceSlice;
  readonly seed: number;
  readonly solver: Solver;
  readonly log: (line: string) => void;
}

export function sourceSection(inputs: SourceSectionInputs): SourceSection {
  const { source, trace, slice } = inputs;
  const runs = runPolicies(inputs);
  const metrics = runs.map(policyMetrics);
  const infadapter = metrics[0];
  const best = bestSingleVariant(metrics);
  const bestRun = runs.find((r) => r.policy === best?.policy);
  if (infadapter === undefined || best === undefined || bestRun === undefined)
    throw new Error('infadapter experiment: a source needs InfAdapter and at least one VPA run');
  const vpa = metrics.filter((m) => m.variant !== undefined);
  const reductions = vpa.map((m) => reductionAgainst(infadapter, m));
  const byViolation = reductions.reduce((a, b) =>
    (b.violationReduction ?? -Infinity) > (a.violationReduction ?? -Infinity) ? b : a,
  );
  const byCost = reductions.reduce((a, b) => (b.costReduction > a.costReduction ? b : a));
  const upTo = {
    violationReduction: byViolation.violationReduction ?? 0,
    violationVs: byViolation.vs,
    costReduction: byCost.costReduction,
    costVs: byCost.vs,
  };
  const vsBest = reductionAgainst(infadapter, best);
  const met = upTo.violationReduction >= CLAIMED.violations && upTo.costReduction >= CLAIMED.cost;
  const counts = trace.slice({ ...slice, damping: source.damping }).countsRps;
  const loadRps = {
    min: Math.min(...counts),
    mean: counts.reduce((s, n) => s + n, 0) / Math.max(1, counts.length),
    max: Math.max(...counts),
  };
  const workload = `twitter:${slice.startS}:${slice.endS}:${source.damping}`;
  const label = (policy: string): string => metrics.find((m) => m.policy === policy)?.label ?? policy;
  const measured =
    `${source.title}: at best ${signed(upTo.violationReduction, 'fewer', 'more')} violations (vs ` +
    `${label(upTo.violationVs)}) and at best ${signed(upTo.costReduction, 'lower', 'higher')} cost (vs ` +
    `${label(upTo.costVs)}); against the best single ` +
    `variant (${best.label}): ${signed(vsBest.violationReduction, 'fewer', 'more')} violations, ` +
    `${signed(vsBest.costReduction, 'lower', 'higher')} cost`;

  const table = markdownTable(
    [
      'policy',
      'requests',
      'violations',
      'violation rate',
      'avg cores',
      'largest plan (cores)',
      'accuracy served',
      'plan changes',
      'restarts / swaps',
      'p99 (ms)',
      'violations: changing / over capacity / other',
      'InfAdapter: fewer violations',
      'InfAdapter: lower cost',
    ],
    metrics.map((m) => {
      const r = reductions.find((x) => x.vs === m.policy);
      return [
        m.policy === best.policy ? `${m.label} (best single variant)` : m.label,
        m.requests,
        m.violations,
        pct(m.violationRate, 2),
        round2(m.averageCores),
        m.largestPlanCores,
        m.accuracy.toFixed(3),
        m.planChanges,
        m.causes.restarts,
        Math.round(m.p99Ms),
        `${Math.round(m.causes.reconfiguring)} / ${Math.round(m.causes.overCapacity)} / ${Math.round(m.causes.other)}`,
        r === undefined || r.violationReduction === undefined ? undefined : pct(r.violationReduction),
        r === undefined ? undefined : pct(r.costReduction),
      ];
    }),
  );
  const charts = infadapterCharts({ source, runs, metrics, best: bestRun, sloMs: INFADAPTER_SLO_MS });
  const markdown = [
    `## ${source.title}`,
    '',
    source.description,
    '',
    `Workload \`${workload}\`: ${counts.length} s, ${loadRps.min}-${loadRps.max} req/s (mean ` +
      `${loadRps.mean.toFixed(1)}), ${infadapter.requests.toLocaleString('en-US')} requests; every run starts ` +
      `provisioned for ${bootstrapRateRps(trace, slice, source.damping).toFixed(1)} req/s (the minute before ` +
      'the slice: its per-second maximum + 10%).',
    '',
    table,
    `Best single variant: **${best.label}** (fewest violations among the VPA runs, ties by cost). ` +
      '"changing": violations while an applied change was taking effect (a restart or rollout, + one SLO); ' +
      '"over capacity": in seconds whose load exceeded the capacity of the plan in force; "restarts / swaps": ' +
      "changes that stopped an instance and started another (VPA's pod restarts; InfAdapter's variant swaps).",
    '',
    `![time series](${source.key}-run.svg)`,
    '',
    `![violations and cost](${source.key}-bars.svg)`,
    '',
    `**Claim** (paper: up to ${pct(CLAIMED.violations)} fewer SLO violations and ${pct(CLAIMED.cost)} lower ` +
      `cost than VPA): ${measured}. **${met ? 'Met' : 'Not met'}.**`,
    '',
    '### What explains the difference',
    '',
    explainDifference({ runs, metrics, best, reductions, alpha: INFADAPTER_ALPHA, claimed: CLAIMED }),
    '',
  ].join('\n');
  return {
    markdown,
    charts,
    measured,
    figures: {
      key: source.key,
      workload,
      damping: source.damping,
      bootstrapRateRps: bootstrapRateRps(trace, slice, source.damping),
      loadRps,
      policies: metrics,
      best: best.policy,
      reductions,
      upTo,
      vsBest,
      met,
    },
  };
}

function pct(x: number, decimals = 0): string {
  return `${(100 * x).toFixed(decimals)}%`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** "35% fewer" or "12% more" from a reduction (positive = InfAdapter better). */
function signed(reduction: number | undefined, better: string, worse: string): string {
  if (reduction === undefined) return `n/a (no ${worse === 'more' ? 'violation' : 'cost'} to compare)`;
  return reduction >= 0 ? `${pct(reduction)} ${better}` : `${pct(-reduction)} ${worse}`;
}
