// The KAIROS experiment's quick run: the report's structure, finite figures, per-probe accounting and
// determinism. Never the paper's claim itself: that is what the experiment measures.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../../src/eval/experiment.js';
import { kairosExperiment } from '../../src/eval/kairos/kairos-experiment.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { readShared } from '../support/shared-dir.js';

interface ProbeFigures {
  readonly rateRps: number;
  readonly passed: boolean;
  readonly requests: number;
  readonly outcomes: Record<string, number>;
  readonly withinTarget: number;
  readonly attainment: number;
  readonly byRange: readonly {
    readonly name: string;
    readonly requests: number;
    readonly withinTarget: number;
  }[];
}

interface SearchFigures {
  readonly rateRps: number;
  readonly failRps: number | null;
  readonly probes: readonly ProbeFigures[];
}

interface ConfigurationFigures {
  readonly name: string;
  readonly diagnostic: boolean;
  readonly rateRps: number;
  readonly fluidRps: number;
  readonly plannerBoundRps: number;
  readonly searches: readonly SearchFigures[];
}

interface Figures {
  readonly models: readonly {
    readonly model: string;
    readonly configurations: readonly ConfigurationFigures[];
  }[];
}

const CONFIGURATIONS = ['kairos', 'homogeneous', 'kairos-fcfs'];

async function quickRun(): Promise<ExperimentReport> {
  const solver = await HighsSolver.create();
  return kairosExperiment.run({ quick: true, solver, shared: readShared, log: () => undefined });
}

/** Every number reachable from `value`. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('kairos experiment (quick)', () => {
  let report: ExperimentReport;
  let figures: Figures;
  beforeAll(async () => {
    report = await quickRun();
    figures = report.figures as unknown as Figures;
  });

  it('reports every configuration of every model it ran in its tables', () => {
    expect(report.name).toBe('kairos');
    expect(figures.models.length).toBeGreaterThan(0);
    expect(report.markdown).toContain('| model');
    for (const m of figures.models) {
      expect(report.markdown).toContain(`### ${m.model}`);
      const compared = m.configurations.filter((c) => !c.diagnostic).map((c) => c.name);
      expect(compared).toEqual(CONFIGURATIONS);
      expect(m.configurations.slice(0, CONFIGURATIONS.length).map((c) => c.name)).toEqual(CONFIGURATIONS);
    }
    for (const m of figures.models)
      for (const c of m.configurations) expect(report.markdown).toContain(`\`${c.name}\``);
    expect(report.markdown).toContain('## What explains the difference');
    expect(report.claim.paper.length).toBeGreaterThan(0);
    expect(report.claim.measured.length).toBeGreaterThan(0);
    expect(typeof report.claim.met).toBe('boolean');
  });

  it('renders its charts as SVG documents', () => {
    expect(report.charts.map((c) => c.name)).toEqual(['attainment', 'rates', 'ratios', 'time-series']);
    for (const chart of report.charts) {
      expect(chart.svg.trimStart().startsWith('<svg')).toBe(true);
      expect(chart.svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(report.markdown).toContain(`${chart.name}.svg`);
    }
  });

  it('holds finite numbers only', () => {
    const numbers = numbersIn(report.figures);
    expect(numbers.length).toBeGreaterThan(0);
    for (const x of numbers) expect(Number.isFinite(x)).toBe(true);
  });

  it('gives every query of every probe one outcome, and the search its highest pass', () => {
    for (const m of figures.models) {
      for (const c of m.configurations) {
        expect(c.searches.length).toBeGreaterThan(0);
        for (const search of c.searches) {
          expect(search.probes.length).toBeGreaterThan(0);
          for (const p of search.probes) {
            const outcomes = Object.values(p.outcomes).reduce((a, b) => a + b, 0);
            expect(outcomes).toBe(p.requests);
            expect(p.byRange.reduce((a, r) => a + r.requests, 0)).toBe(p.requests);
            expect(p.withinTarget).toBeLessThanOrEqual(p.outcomes.completed ?? 0);
            // The per-range counts come from the event log's 3-decimal latencies (probe-run.ts).
            const byRange = p.byRange.reduce((a, r) => a + r.withinTarget, 0);
            expect(Math.abs(byRange - p.withinTarget)).toBeLessThanOrEqual(Math.max(1, 0.001 * p.requests));
            expect(p.attainment).toBeCloseTo(p.withinTarget / p.requests, 12);
            expect(p.passed).toBe(p.attainment >= 0.99);
          }
          const passing = search.probes.filter((p) => p.passed).map((p) => p.rateRps);
          const failing = search.probes.filter((p) => !p.passed).map((p) => p.rateRps);
          expect(search.rateRps).toBe(passing.length === 0 ? 0 : Math.max(...passing));
          expect(search.failRps).toBe(failing.length === 0 ? null : Math.min(...failing));
        }
        const rates = c.searches.map((x) => x.rateRps).sort((a, b) => a - b);
        expect(c.rateRps).toBeGreaterThanOrEqual(rates[0] ?? 0);
        expect(c.rateRps).toBeLessThanOrEqual(rates.at(-1) ?? 0);
        expect(c.fluidRps).toBeGreaterThan(0);
        expect(c.plannerBoundRps).toBeGreaterThan(0);
      }
    }
  });

  it('gives the same figures and page for the same seed', async () => {
    const again = await quickRun();
    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(report.figures));
    expect(again.markdown).toBe(report.markdown);
  });
});
