// The Harpagon experiment's quick run: the report's structure, finite figures, consistent accounting
// (every request one outcome, module costs adding up to the plan's, ratios from the costs shown) and
// determinism. Never the paper's claim itself: that is what the experiment measures.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../../src/eval/experiment.js';
import { ATTAINMENT_TARGET, harpagonExperiment } from '../../src/eval/harpagon/harpagon-experiment.js';
import { PLANNERS } from '../../src/eval/harpagon/harpagon-runs.js';
import type { RunFigures, WorkloadFigures } from '../../src/eval/harpagon/harpagon-summary.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { readShared } from '../support/shared-dir.js';

interface Figures {
  readonly workloads: readonly WorkloadFigures[];
}

async function quickRun(): Promise<ExperimentReport> {
  const solver = await HighsSolver.create();
  return harpagonExperiment.run({ quick: true, solver, shared: readShared, log: () => undefined });
}

/** Every number reachable from `value`. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

function checkRun(run: RunFigures): void {
  const o = run.outcomes;
  expect(o.completed + o.rejected + o.expired + o.failed).toBe(run.requests);
  expect(run.requests).toBeGreaterThan(0);
  expect(run.withinSlo).toBeLessThanOrEqual(o.completed);
  expect(run.attainment).toBeCloseTo(run.withinSlo / run.requests, 12);
  const moduleCost = run.modules.reduce((s, m) => s + m.costPerHour, 0);
  expect(moduleCost).toBeCloseTo(run.costPerHour, 9);
  for (const m of run.modules) {
    expect(m.rateRps).toBeGreaterThan(0);
    expect(m.capacityRps).toBeGreaterThan(0);
    expect(m.budgetMs).toBeGreaterThan(0);
  }
}

describe('harpagon experiment (quick)', () => {
  let report: ExperimentReport;
  let figures: Figures;
  beforeAll(async () => {
    report = await quickRun();
    figures = report.figures as unknown as Figures;
  }, 30_000);

  it('reports the table with every planner and workload, the claim and the explanation', () => {
    expect(report.name).toBe('harpagon');
    expect(report.markdown).toContain('| workload');
    expect(report.markdown).toContain('| graph');
    for (const p of PLANNERS) expect(report.markdown).toContain(`| ${p} `);
    for (const w of figures.workloads) expect(report.markdown).toContain(w.name);
    expect(report.markdown).toContain('## Claim');
    expect(report.markdown).toContain(report.claim.paper);
    expect(report.markdown).toContain('## What explains the difference');
    expect(report.claim.measured).toMatch(/median/);
  });

  it('renders every chart as SVG and refers to it from the page', () => {
    expect(report.charts.map((c) => c.name).sort()).toEqual([
      'cost-graphs',
      'cost-ocr',
      'ratio',
      'timeseries',
    ]);
    for (const chart of report.charts) {
      expect(chart.svg.trimStart().startsWith('<svg')).toBe(true);
      expect(chart.svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(report.markdown).toContain(`(${chart.name}.svg)`);
    }
  });

  it('holds only finite numbers in its figures', () => {
    const numbers = numbersIn(report.figures);
    expect(numbers.length).toBeGreaterThan(50);
    for (const x of numbers) expect(Number.isFinite(x)).toBe(true);
  });

  it('accounts for every request and derives its ratios from the costs it shows', () => {
    expect(figures.workloads.some((w) => w.kind === 'ocr')).toBe(true);
    expect(figures.workloads.some((w) => w.kind === 'graph')).toBe(true);
    for (const w of figures.workloads) {
      for (const p of PLANNERS) {
        const f = w.planners[p];
        checkRun(f.modelOnly);
        expect(f.modelOnly.rho).toBe(0.9);
        expect(f.modelOnly.margin).toBe(1);
        if (f.chosen === null) {
          expect(f.closestAttainment).toBeLessThan(ATTAINMENT_TARGET);
          continue;
        }
        checkRun(f.chosen);
        expect(f.chosen.attainment).toBeGreaterThanOrEqual(ATTAINMENT_TARGET);
        expect(f.chosenAttainmentBudgeted).not.toBeNull();
        // The model-only plan is on the grid: a cheaper chosen plan would have been tried first.
        if (f.modelOnly.attainment >= ATTAINMENT_TARGET)
          expect(f.chosen.costPerHour).toBeLessThanOrEqual(f.modelOnly.costPerHour + 1e-9);
      }
      const h = w.planners.harpagon.chosen;
      const n = w.planners.nexus.chosen;
      if (h !== null && n !== null) expect(w.ratio).toBeCloseTo(n.costPerHour / h.costPerHour, 12);
      else expect(w.ratio).toBeNull();
      expect(w.modelOnlyRatio).toBeCloseTo(
        w.planners.nexus.modelOnly.costPerHour / w.planners.harpagon.modelOnly.costPerHour,
        12,
      );
    }
  });

  it('gives the same figures for the same seed', async () => {
    const again = await quickRun();
    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(report.figures));
    expect(again.markdown).toBe(report.markdown);
  }, 30_000);
});
