// The `sluice` experiment's quick run: the page has its table with every policy, charts are SVG, the
// figures are finite, each run's requests are accounted for once (outcomes, misses by cause, cost), the
// same arrivals reach every policy, and the same seed gives the same figures. Never the claim itself:
// that is what the experiment measures.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../../src/eval/experiment.js';
import { sluiceExperiment } from '../../src/eval/sluice/sluice-experiment.js';
import { SLUICE_POLICIES } from '../../src/eval/sluice/sluice-policies.js';
import type { PolicySummary } from '../../src/eval/sluice/sluice-runs.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { readShared } from '../support/shared-dir.js';

interface Figures {
  readonly policies: readonly PolicySummary[];
  readonly unmeetable: number;
  readonly pricePerCoreHour: number;
  readonly verdict: {
    readonly bestTechnique: string;
    readonly bar: number;
    readonly rivals: readonly string[];
    readonly met: boolean;
  };
}

async function quickRun(): Promise<ExperimentReport> {
  const solver = await HighsSolver.create();
  return sluiceExperiment.run({ quick: true, solver, shared: readShared, log: () => undefined });
}

/** Every number reachable from `value` (nulls stand for "no such figure"). */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('sluice experiment (quick)', () => {
  let report: ExperimentReport;
  let figures: Figures;
  beforeAll(async () => {
    report = await quickRun();
    figures = report.figures as unknown as Figures;
  });

  it('has the side-by-side table with every policy, its reading, the claim and the explanation', () => {
    expect(report.name).toBe('sluice');
    expect(sluiceExperiment.name).toBe('sluice');
    expect(report.markdown).toMatch(/^\| policy +\| knobs +\| SLO attainment \|/m);
    for (const policy of SLUICE_POLICIES) {
      expect(report.markdown).toMatch(
        new RegExp(`^\\| ${escape(policy.label)}( \\(sensitivity\\))? +\\|`, 'm'),
      );
      expect(report.markdown).toContain(`\`${policy.id}\``);
    }
    expect(figures.policies.map((p) => p.id)).toEqual(SLUICE_POLICIES.map((p) => p.id));
    expect(report.markdown).toContain("**Claim (the mission's).**");
    expect(report.markdown).toContain('## What explains the difference');
    expect(report.claim.paper.length).toBeGreaterThan(0);
    expect(report.claim.measured).toMatch(/best single technique/);
    expect(report.claim.met).toBe(figures.verdict.met);
  });

  it('renders every chart as an SVG document the page refers to', () => {
    const names = report.charts.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['timeline', 'attainment', 'core-seconds']));
    expect(new Set(names).size).toBe(names.length);
    for (const chart of report.charts) {
      expect(chart.svg.trimStart().startsWith('<svg')).toBe(true);
      expect(chart.svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(report.markdown).toContain(`(${chart.name}.svg)`);
    }
  });

  it('holds finite numbers only', () => {
    const numbers = numbersIn(report.figures);
    expect(numbers.length).toBeGreaterThan(50);
    for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
  });

  it('accounts for every request once, on the same arrivals for every policy', () => {
    const requests = figures.policies[0]?.requests ?? 0;
    expect(requests).toBeGreaterThan(0);
    for (const p of figures.policies) {
      expect(p.requests).toBe(requests);
      const { completed, rejected, expired, failed } = p.outcomes;
      expect(completed + rejected + expired + failed).toBe(p.requests);
      expect(p.withinSlo).toBeLessThanOrEqual(completed);
      expect(p.violations).toBe(p.requests - p.withinSlo);
      expect(p.late).toBe(completed - p.withinSlo);
      expect(p.attainment).toBeCloseTo(p.withinSlo / p.requests, 12);
      // Every miss has exactly one cause, and none can meet a request whose upload took its budget.
      const c = p.causes;
      expect(c.missed).toBe(p.violations);
      expect(c.unmeetable + c.variantStart + c.reconfiguring + c.overCapacity + c.other).toBe(c.missed);
      expect(c.unmeetable).toBeLessThanOrEqual(figures.unmeetable);
      // Cost: core-seconds over the run's duration, priced per core-hour.
      expect(p.averageCores * p.durationS).toBeCloseTo(p.coreSeconds, 6);
      expect(p.dollars).toBeCloseTo((p.coreSeconds / 3600) * figures.pricePerCoreHour, 9);
      expect(p.averageCores).toBeGreaterThan(0);
      expect(p.accuracy).toBeGreaterThan(0);
      expect(p.accuracy).toBeLessThan(1);
      expect(p.decisions.sameInstances).toBeLessThanOrEqual(p.decisions.applied);
      expect(p.decisions.rateCappedScaleUps).toBeLessThanOrEqual(p.decisions.rateCapped);
      expect(p.decisions.applied).toBe(p.planChanges);
    }
    // Triton has no autoscaler; the single-variant systems serve one variant's accuracy.
    const triton = figures.policies.find((p) => p.id === 'triton');
    expect(triton?.planChanges).toBe(0);
    const single = SLUICE_POLICIES.filter((p) => p.variants === 'deployed').map((p) => p.id);
    const accuracies = figures.policies.filter((p) => single.includes(p.id)).map((p) => p.accuracy);
    expect(new Set(accuracies).size).toBe(1);
  });

  it('judges the claim on the main rows only', () => {
    const byId = new Map(figures.policies.map((p) => [p.id, p]));
    expect(byId.get(figures.verdict.bestTechnique)?.role).toBe('technique');
    for (const id of figures.verdict.rivals) {
      const rival = byId.get(id);
      expect(['technique', 'baseline']).toContain(rival?.role);
      expect(rival?.attainment).toBeGreaterThanOrEqual(figures.verdict.bar);
    }
  });

  it('gives the same figures for the same seed', async () => {
    const again = await quickRun();
    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(report.figures));
    expect(again.markdown).toBe(report.markdown);
  });
});
