// The InfAdapter experiment's quick run against the shared trace and profiles: the report has its table with
// every policy for both profile sources, its charts are SVG, its figures are finite and add up (every request
// has one outcome, violations = requests − answered within the SLO, the same workload for every policy of a
// source), and the same seed gives the same figures twice. The paper's claim itself is never asserted.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentContext, ExperimentReport } from '../../src/eval/experiment.js';
import { infadapterExperiment } from '../../src/eval/infadapter/infadapter-experiment.js';
import type { PolicyMetrics } from '../../src/eval/infadapter/policy-metrics.js';
import type { SourceFigures } from '../../src/eval/infadapter/source-section.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';
import { readShared } from '../support/shared-dir.js';

const POLICIES = [
  'InfAdapter',
  'VPA resnet18',
  'VPA resnet34',
  'VPA resnet50',
  'VPA resnet101',
  'VPA resnet152',
];
const SOURCES = ['measured-capacities', 'sluice-profiles'];

let report: ExperimentReport;
let again: ExperimentReport;

beforeAll(async () => {
  const context: ExperimentContext = {
    quick: true,
    solver: await HighsSolver.create(),
    shared: readShared,
    log: () => undefined,
  };
  report = infadapterExperiment.run(context);
  again = infadapterExperiment.run(context);
});

function sources(r: ExperimentReport): SourceFigures[] {
  const all = r.figures['sources'] as Record<string, SourceFigures>;
  return SOURCES.map((key) => {
    const figures = all[key];
    if (figures === undefined) throw new Error(`no figures for source ${key}`);
    return figures;
  });
}

function numbersIn(value: unknown, path: string, out: { path: string; value: number }[]): void {
  if (typeof value === 'number') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => numbersIn(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) numbersIn(v, `${path}.${k}`, out);
}

describe('infadapter experiment, quick', () => {
  it('is named infadapter and states the claim beside both sources', () => {
    expect(infadapterExperiment.name).toBe('infadapter');
    expect(report.name).toBe('infadapter');
    expect(report.claim.paper).toContain('65%');
    expect(report.claim.measured).toContain('(a)');
    expect(report.claim.measured).toContain('(b)');
    expect(typeof report.claim.met).toBe('boolean');
  });

  it('has a side-by-side table with every policy, once per source', () => {
    const tables = report.markdown.split('\n').filter((line) => line.startsWith('| policy'));
    expect(tables).toHaveLength(2);
    for (const label of POLICIES) {
      const rows = report.markdown.split('\n').filter((line) => line.startsWith(`| ${label} `));
      expect(rows, label).toHaveLength(2);
    }
    expect(report.markdown).toContain('What explains the difference');
    for (const s of sources(report)) expect(s.policies.map((p) => p.label)).toEqual(POLICIES);
  });

  it('renders every chart as SVG and refers to each from the page', () => {
    const names = report.charts.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['capacity-check', ...SOURCES.flatMap((s) => [`${s}-run`, `${s}-bars`])]),
    );
    for (const chart of report.charts) {
      expect(chart.svg.trimStart()).toMatch(/^(<\?xml[^>]*>\s*)?<svg\b/);
      expect(chart.svg.trimEnd()).toMatch(/<\/svg>$/);
      expect(report.markdown).toContain(`${chart.name}.svg`);
    }
  });

  it('holds only finite numbers in its figures', () => {
    const numbers: { path: string; value: number }[] = [];
    numbersIn(report.figures, 'figures', numbers);
    expect(numbers.length).toBeGreaterThan(50);
    expect(numbers.filter((n) => !Number.isFinite(n.value))).toEqual([]);
  });

  it('accounts for every request once, on the same workload for every policy', () => {
    for (const source of sources(report)) {
      const requests = new Set(source.policies.map((p) => p.requests));
      expect(requests.size, source.key).toBe(1);
      for (const p of source.policies as PolicyMetrics[]) {
        expect(p.requests).toBeGreaterThan(0);
        expect(p.completed + p.rejected + p.expired + p.failed, p.policy).toBe(p.requests);
        expect(p.withinSlo).toBeLessThanOrEqual(p.completed);
        expect(p.violations, p.policy).toBe(p.requests - p.withinSlo);
        expect(p.violationRate).toBeCloseTo(p.violations / p.requests, 12);
        expect(p.averageCores).toBeGreaterThan(0);
        expect(p.largestPlanCores).toBeLessThanOrEqual(20);
        expect(p.accuracy).toBeGreaterThan(0);
        expect(p.accuracy).toBeLessThanOrEqual(1);
        const c = p.causes;
        expect(c.reconfiguring + c.overCapacity + c.other).toBeGreaterThanOrEqual(0);
      }
      const vpa = source.policies.filter((p) => p.variant !== undefined);
      expect(vpa.map((p) => p.policy)).toContain(source.best);
      expect(source.reductions).toHaveLength(vpa.length);
    }
  });

  it('gives the same figures and page for the same seed', () => {
    expect(again.figures).toEqual(report.figures);
    expect(again.markdown).toBe(report.markdown);
  });
});
