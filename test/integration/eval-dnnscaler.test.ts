// The DNNScaler experiment's quick run: the report's tables and charts, finite figures, per-probe
// accounting, the bisection's bookkeeping, the controller state carried in plans, and determinism.
// Never the paper's claim itself: that is what the experiment measures.
import { beforeAll, describe, expect, it } from 'vitest';
import { dnnscalerCases } from '../../src/eval/dnnscaler/dnnscaler-cases.js';
import { QUICK_CASES, dnnscalerExperiment } from '../../src/eval/dnnscaler/dnnscaler-experiment.js';
import { dnnscalerStateOf } from '../../src/eval/dnnscaler/dnnscaler-online-planner.js';
import {
  controllerPlanner,
  runController,
  type RunSettings,
} from '../../src/eval/dnnscaler/controller-run.js';
import type { ExperimentReport } from '../../src/eval/experiment.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { readShared } from '../support/shared-dir.js';

interface ProbeFigures {
  readonly rateRps: number;
  readonly meanMs: number | null;
  readonly sustained: boolean;
  readonly requests: number;
  readonly outcomes: Record<string, number>;
  readonly outcomeLines: number;
  readonly finalBatch: number;
}

interface SearchFigures {
  readonly throughputRps: number;
  readonly probes: readonly ProbeFigures[];
}

interface CaseFigures {
  readonly id: string;
  readonly targetMs: number;
  readonly ceilingRps: number;
  readonly verdict: { readonly approach: string } | null;
  readonly dnnscaler: SearchFigures;
  readonly clipper: SearchFigures;
  readonly ratio: number | null;
}

interface Figures {
  readonly cases: readonly CaseFigures[];
  readonly summary: { readonly averageRatio: number; readonly maxRatio: number };
}

/** Every number reachable from `value`. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('dnnscaler experiment (quick)', () => {
  let solver: HighsSolver;
  let report: ExperimentReport;
  let figures: Figures;
  beforeAll(async () => {
    solver = await HighsSolver.create();
    report = dnnscalerExperiment.run({ quick: true, solver, shared: readShared, log: () => undefined });
    figures = report.figures as unknown as Figures;
  });

  it('reports every model in both tables with both controllers', () => {
    expect(report.name).toBe('dnnscaler');
    expect(figures.cases.map((c) => c.id)).toEqual(QUICK_CASES);
    expect(report.markdown).toContain('## Throughput at the latency target');
    expect(report.markdown).toContain('| model@hardware');
    expect(report.markdown).toContain('DNNScaler req/s');
    expect(report.markdown).toContain('Clipper req/s');
    for (const c of figures.cases) {
      // Each model appears in the verdict table and the throughput table.
      expect(report.markdown.split(`| ${c.id}`).length - 1).toBeGreaterThanOrEqual(2);
      expect(['batching', 'co-location']).toContain(c.verdict?.approach);
    }
    expect(report.markdown).toContain('## What explains the difference');
    expect(report.claim.paper).toContain('218%');
    expect(report.claim.measured.length).toBeGreaterThan(0);
    expect(typeof report.claim.met).toBe('boolean');
  });

  it('renders its charts as SVG documents the page refers to', () => {
    expect(report.charts.map((c) => c.name)).toEqual(['ratio', 'throughput', 'trace']);
    for (const chart of report.charts) {
      expect(chart.svg.trimStart().startsWith('<svg')).toBe(true);
      expect(chart.svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(report.markdown).toContain(`(${chart.name}.svg)`);
    }
  });

  it('holds finite numbers only', () => {
    const numbers = numbersIn(report.figures);
    expect(numbers.length).toBeGreaterThan(0);
    for (const x of numbers) expect(Number.isFinite(x)).toBe(true);
  });

  it('gives every request of every probe one outcome, and each search its highest sustained probe', () => {
    for (const c of figures.cases) {
      for (const search of [c.dnnscaler, c.clipper]) {
        expect(search.probes.length).toBeGreaterThan(0);
        for (const p of search.probes) {
          const outcomes = Object.values(p.outcomes).reduce((a, b) => a + b, 0);
          expect(outcomes).toBe(p.requests);
          expect(p.outcomeLines).toBe(p.requests);
          expect(p.rateRps).toBeLessThan(1.05 * c.ceilingRps);
          if (p.sustained) expect(p.meanMs).not.toBeNull();
          if (p.sustained) expect(p.meanMs ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(c.targetMs);
          expect(p.finalBatch).toBeGreaterThanOrEqual(1);
        }
        const sustained = search.probes.filter((p) => p.sustained).map((p) => p.rateRps);
        expect(search.throughputRps).toBe(sustained.length === 0 ? 0 : Math.max(...sustained));
      }
      if (c.ratio !== null)
        expect(c.ratio).toBeCloseTo(c.dnnscaler.throughputRps / c.clipper.throughputRps, 12);
    }
    const ratios = figures.cases.map((c) => c.ratio).filter((r): r is number => r !== null);
    expect(figures.summary.maxRatio).toBe(Math.max(...ratios));
    expect(figures.summary.averageRatio).toBeCloseTo(ratios.reduce((a, b) => a + b, 0) / ratios.length, 12);
  });

  it('carries the DNNScaler controller state from plan to plan', () => {
    const kase = dnnscalerCases(readShared).find((c) => c.id === 'resnet18@local');
    if (kase === undefined) throw new Error('no resnet18 case');
    const planner = controllerPlanner(kase, 'dnnscaler', 3000);
    const first = planner.plan(kase.problem, { solver });
    expect(dnnscalerStateOf(first)?.tick).toBe(0);
    // A period whose mean is far under the band: the batch search moves up from batch 1.
    const next = planner.plan(
      { ...kase.problem, current: first, observations: { latencyMs: { [kase.module.name]: { mean: 1 } } } },
      { solver },
    );
    expect(dnnscalerStateOf(next)?.tick).toBe(1);
    expect(next.modules[0]?.tuples[0]?.batch).toBeGreaterThan(1);
  });

  it('runs the DNNScaler controller inside the control loop, its state carried from tick to tick', () => {
    const kase = dnnscalerCases(readShared).find((c) => c.id === 'resnet18@local');
    if (kase === undefined) throw new Error('no resnet18 case');
    const settings: RunSettings = { rampS: 6, holdS: 9, measureS: 6, periodMs: 3000, seed: 3 };
    const run = runController(kase, 'dnnscaler', 0.3 * kase.ceilingRps, settings, solver);
    // A state rebuilt on every tick would stay at batch 1: the search moves only if it is carried.
    expect(run.knobs[0]?.batch).toBe(1);
    expect(Math.max(...run.knobs.map((k) => k.batch))).toBeGreaterThan(1);
    expect(run.knobs.length).toBeGreaterThan(3);
  });

  it('gives the same figures and page for the same seed', () => {
    const again = dnnscalerExperiment.run({ quick: true, solver, shared: readShared, log: () => undefined });
    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(report.figures));
    expect(again.markdown).toBe(report.markdown);
  });

  it('gives the same run, to the latency trace, for the same seed', () => {
    const kase = dnnscalerCases(readShared).find((c) => c.id === 'ocr-det@local');
    if (kase === undefined) throw new Error('no ocr-det case');
    const settings: RunSettings = { rampS: 6, holdS: 9, measureS: 6, periodMs: 3000, seed: 7 };
    for (const controller of ['dnnscaler', 'clipper'] as const) {
      const a = runController(kase, controller, 0.6 * kase.ceilingRps, settings, solver);
      const b = runController(kase, controller, 0.6 * kase.ceilingRps, settings, solver);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(a.requests).toBeGreaterThan(0);
    }
  });
});
