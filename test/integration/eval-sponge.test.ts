// The Sponge experiment's quick run: the page has its table with every policy, charts are SVG, the
// figures are finite, each run's requests are accounted for once, and the same seed gives the same
// figures. Never the paper's claim itself: that is what the experiment measures.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../../src/eval/experiment.js';
import type { PolicySummary, RunSummary } from '../../src/eval/sponge/sponge-runs.js';
import { spongeExperiment } from '../../src/eval/sponge/sponge-experiment.js';
import { SPONGE_POLICIES } from '../../src/eval/sponge/sponge-setup.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { readShared } from '../support/shared-dir.js';

interface Figures {
  readonly policies: readonly PolicySummary[];
  readonly runs: readonly RunSummary[];
  readonly unmeetable: readonly {
    readonly seed: number;
    readonly requests: number;
    readonly count: number;
  }[];
  readonly hpaToSponge: number | null;
  readonly attributed: readonly {
    readonly policy: string;
    readonly seed: number;
    readonly arrivals: number;
    readonly missed: number;
  }[];
}

async function quickRun(): Promise<ExperimentReport> {
  const solver = await HighsSolver.create();
  return spongeExperiment.run({ quick: true, solver, shared: readShared, log: () => undefined });
}

/** Every value reachable from `value` that is a number (nulls stand for "no such figure"). */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('sponge experiment (quick)', () => {
  let report: ExperimentReport;
  let figures: Figures;
  beforeAll(async () => {
    report = await quickRun();
    figures = report.figures as unknown as Figures;
  });

  it('has the side-by-side table with every policy, the claim and the explanation', () => {
    expect(report.name).toBe('sponge');
    expect(report.markdown).toMatch(/^\| policy +\| SLO violations \|/m);
    for (const policy of SPONGE_POLICIES) {
      expect(report.markdown).toMatch(new RegExp(`^\\| ${policy.id.replace(/[+]/g, '\\+')} `, 'm'));
      expect(report.markdown).toContain(`\`${policy.id}\`: `);
    }
    expect(figures.policies.map((p) => p.policy)).toEqual(SPONGE_POLICIES.map((p) => p.id));
    expect(report.markdown).toContain('**Claim.**');
    expect(report.markdown).toContain('## What explains the difference');
    expect(report.claim.paper.length).toBeGreaterThan(0);
    expect(report.claim.measured).toMatch(/HPA's violations are/);
    expect(typeof report.claim.met).toBe('boolean');
  });

  it('renders every chart as an SVG document the page refers to', () => {
    const names = report.charts.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['timeline', 'violations', 'cores']));
    expect(new Set(names).size).toBe(names.length);
    for (const chart of report.charts) {
      expect(chart.svg.trimStart().startsWith('<svg')).toBe(true);
      expect(chart.svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(report.markdown).toContain(`(${chart.name}.svg)`);
    }
  });

  it('holds finite numbers only', () => {
    const numbers = numbersIn(report.figures);
    expect(numbers.length).toBeGreaterThan(20);
    for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
  });

  it('accounts for every request once, the same workload for every policy', () => {
    expect(figures.runs.length).toBe(SPONGE_POLICIES.length * figures.unmeetable.length);
    for (const run of figures.runs) {
      const { completed, rejected, expired, failed } = run.outcomes;
      expect(completed + rejected + expired + failed).toBe(run.requests);
      expect(run.withinSlo).toBeLessThanOrEqual(completed);
      expect(run.violations).toBe(run.requests - run.withinSlo);
      expect(run.late).toBe(completed - run.withinSlo);
      expect(run.violationRate).toBeCloseTo(run.violations / run.requests, 12);
      expect(run.averageCores * run.durationS).toBeCloseTo(run.coreSeconds, 6);
      expect(run.averageCores).toBeGreaterThan(0);
      // The same arrivals for every policy: and none can meet a request whose upload took its budget.
      const seed = figures.unmeetable.find((u) => u.seed === run.seed);
      expect(seed).toBeDefined();
      expect(run.requests).toBe(seed!.requests);
      expect(run.violations).toBeGreaterThanOrEqual(seed!.count);
    }
    // Tied to their arrival second one by one (the explanation's view), the misses add up to the run's.
    expect(figures.attributed.map((a) => a.policy)).toEqual(SPONGE_POLICIES.map((p) => p.id));
    for (const a of figures.attributed) {
      const run = figures.runs.find((r) => r.policy === a.policy && r.seed === a.seed);
      expect(a.arrivals).toBe(run?.requests);
      expect(a.missed).toBe(run?.violations);
    }
    // Peak provisioning never changes its plan.
    for (const id of ['static-peak', 'static-min'])
      expect(figures.runs.filter((r) => r.policy === id).every((r) => r.planChanges === 0)).toBe(true);
  });

  it('gives the same figures for the same seed', async () => {
    const again = await quickRun();
    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(report.figures));
    expect(again.markdown).toBe(report.markdown);
  });
});
