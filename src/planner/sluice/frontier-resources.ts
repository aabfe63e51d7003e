/**
 * The resources the frontier programme (frontier-dp.ts) tracks per state: only those a budget or the
 * objective sees ($/h, cores of cpu kinds, instances of a kind with a limit), and of those only one
 * per proportional family: on a single cpu kind cost is price × cores, so a state cheaper than another
 * also has fewer cores, and tracking both would only keep states neither dominates. Each resource is
 * then a factor times one tracked dimension, which keeps dominance exact and the state sets small.
 */
import type { PlanningProblem } from '../planning-problem.js';
import type { SluiceCandidate } from './candidate-types.js';
import type { SluiceGoal } from './sluice-model.js';

/** The objectives the frontier programme solves (frontier-solve.ts). */
export type FrontierGoal = Extract<
  SluiceGoal,
  { kind: 'min-cost' | 'max-served' | 'accuracy-cost' | 'min-resource' }
>;

type Resource = 'cost' | 'cores' | { readonly hardware: string };

export interface Resources {
  /** Upper limit of each tracked dimension (+∞ without a budget). */
  readonly limits: readonly number[];
  /** One instance's use of each tracked dimension. */
  useOf(c: SluiceCandidate): number[];
  /** The objective's resource (min-cost: $/h; least resource: it; max-served: $/h for ties) or the
   * accuracy-cost cost term's (cores under a core budget, else $/h), from a state's use. */
  amount(use: readonly number[], which: 'objective' | 'term'): number;
}

const SAME = 1e-12;

/** The tracked resources of `candidates` for `goal`, budgets as limits unless relaxed. */
export function resourcesOf(
  problem: PlanningProblem,
  candidates: readonly SluiceCandidate[],
  goal: FrontierGoal,
  relax: { readonly cost?: boolean; readonly cores?: boolean; readonly instances?: boolean },
): Resources {
  const budget = problem.budget;
  const wanted: { resource: Resource; limit: number }[] = [];
  const want = (resource: Resource, limit = Infinity): void => {
    const found = wanted.find((w) => sameResource(w.resource, resource));
    if (found === undefined) wanted.push({ resource, limit });
    else found.limit = Math.min(found.limit, limit);
  };
  const objective: Resource =
    goal.kind === 'min-resource' ? goal.resource : goal.kind === 'accuracy-cost' ? termOf(problem) : 'cost';
  const term = termOf(problem);
  want(objective);
  want(term);
  if (budget?.costPerHour !== undefined && relax.cost !== true) want('cost', budget.costPerHour);
  if (budget?.cores !== undefined && relax.cores !== true) want('cores', budget.cores);
  if (relax.instances !== true)
    for (const h of problem.hardware)
      if (h.maxInstances !== undefined) want({ hardware: h.name }, h.maxInstances);

  // Each wanted resource as factor × a tracked dimension (undefined: always zero).
  const vectors = wanted.map((w) => candidates.map((c) => perInstance(c, w.resource)));
  const tracked: number[][] = [];
  const trackedResources: Resource[] = [];
  const limits: number[] = [];
  const map = wanted.map((w, r) => {
    const v = vectors[r] as number[];
    if (v.every((x) => x === 0)) return { dim: undefined, factor: 0 };
    for (const [d, base] of tracked.entries()) {
      const factor = proportion(v, base);
      if (factor !== undefined) {
        limits[d] = Math.min(limits[d] ?? Infinity, w.limit / factor);
        return { dim: d, factor };
      }
    }
    tracked.push(v);
    trackedResources.push(w.resource);
    limits.push(w.limit);
    return { dim: tracked.length - 1, factor: 1 };
  });
  const sources = map.map((m, r) => ({ ...m, resource: (wanted[r] as { resource: Resource }).resource }));
  const at = (resource: Resource): { dim: number | undefined; factor: number } =>
    sources.find((s) => sameResource(s.resource, resource)) ?? { dim: undefined, factor: 0 };
  const objectiveAt = at(objective);
  const termAt = at(term);
  return {
    limits,
    useOf: (c) => trackedResources.map((resource) => perInstance(c, resource)),
    amount: (use, which) => {
      const { dim, factor } = which === 'objective' ? objectiveAt : termAt;
      return dim === undefined ? 0 : factor * (use[dim] ?? 0);
    },
  };
}

/** The resource the accuracy-cost objective charges: cores under a core budget, else $/h. */
function termOf(problem: PlanningProblem): Resource {
  return problem.budget?.cores !== undefined ? 'cores' : 'cost';
}

function perInstance(c: SluiceCandidate, resource: Resource): number {
  if (resource === 'cost') return c.config.instanceCostPerHour;
  if (resource === 'cores') return c.config.hardware.kind === 'cpu' ? c.config.cores : 0;
  return c.config.hardware.name === resource.hardware ? 1 : 0;
}

function sameResource(a: Resource, b: Resource): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.hardware === b.hardware;
}

/** f > 0 with v = f·base in every entry, if there is one. */
function proportion(v: readonly number[], base: readonly number[]): number | undefined {
  const j = base.findIndex((x) => x !== 0);
  if (j < 0) return undefined;
  const factor = (v[j] ?? 0) / (base[j] ?? 1);
  if (!(factor > 0)) return undefined;
  for (const [i, x] of v.entries()) {
    const y = factor * (base[i] ?? 0);
    if (Math.abs(x - y) > SAME * Math.max(Math.abs(x), Math.abs(y))) return undefined;
  }
  return factor;
}
