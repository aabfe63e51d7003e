/**
 * Every pool KAIROS considers: each mix of instance counts per type (at least one instance) within the
 * $/h budget, the cores budget and each type's instance limit. KAIROS enumerates them all (about
 * 12,000 for its four AWS types at $2.5/h) instead of exploring configurations online.
 */
import { PLAN_TOLERANCE } from '../planning-model.js';

/** What the enumeration needs of one instance type. */
export interface PoolType {
  /** For messages; default its index. */
  readonly name?: string;
  /** $ per hour of one instance. */
  readonly pricePerHour: number;
  /** Cores one instance counts against the cores budget (0 for a fixed kind). */
  readonly cores: number;
  /** Instances of the type at most; default as many as the budget buys. */
  readonly maxInstances?: number;
}

export interface PoolBudget {
  /** $ per hour, at most; default unlimited. */
  readonly costPerHour?: number;
  /** Cores of `cpu` kinds, at most; default unlimited. */
  readonly cores?: number;
}

export interface PoolMixOptions {
  /** Only pools of one type (KAIROS's "best homogeneous configuration" baseline). Default false. */
  readonly singleType?: boolean;
  /** Give up (with a reason) past this many mixes. Default 1,000,000. */
  readonly maxMixes?: number;
}

/** Within budget up to the planning model's tolerance, so a pool costing exactly the budget counts. */
const within = (value: number, limit: number): boolean =>
  value <= limit + PLAN_TOLERANCE * Math.max(1, Math.abs(limit));

/**
 * Every mix within budget and limits, as instance counts in `types` order, in lexicographic order of
 * the counts; or the reason there are too many to enumerate (a type without a limit that the budget
 * does not bound, or more than `maxMixes`).
 */
export function poolMixes(
  types: readonly PoolType[],
  budget: PoolBudget,
  options: PoolMixOptions = {},
): number[][] | string {
  const maxMixes = options.maxMixes ?? 1_000_000;
  const caps: number[] = [];
  for (const [i, type] of types.entries()) {
    let cap = type.maxInstances ?? Number.POSITIVE_INFINITY;
    if (budget.costPerHour !== undefined && type.pricePerHour > 0)
      cap = Math.min(cap, Math.floor((budget.costPerHour / type.pricePerHour) * (1 + PLAN_TOLERANCE)));
    if (budget.cores !== undefined && type.cores > 0)
      cap = Math.min(cap, Math.floor((budget.cores / type.cores) * (1 + PLAN_TOLERANCE)));
    if (!Number.isFinite(cap))
      return `instance type ${type.name === undefined ? i : `'${type.name}'`} has no instance limit and the budget does not bound it`;
    caps.push(Math.max(0, Math.floor(cap)));
  }
  const mixes: number[][] = [];
  const counts = types.map(() => 0);
  let overflow = false;
  const visit = (i: number, cost: number, cores: number, used: number): void => {
    if (overflow) return;
    if (i === types.length) {
      if (used === 0) return;
      if (mixes.length >= maxMixes) overflow = true;
      else mixes.push([...counts]);
      return;
    }
    const type = types[i];
    if (type === undefined) return;
    const cap = options.singleType === true && used > 0 ? 0 : (caps[i] ?? 0);
    for (let n = 0; n <= cap; n++) {
      const c = cost + n * type.pricePerHour;
      const k = cores + n * type.cores;
      if (budget.costPerHour !== undefined && !within(c, budget.costPerHour)) break;
      if (budget.cores !== undefined && !within(k, budget.cores)) break;
      counts[i] = n;
      visit(i + 1, c, k, used + (n > 0 ? 1 : 0));
    }
    counts[i] = 0;
  };
  visit(0, 0, 0, 0);
  return overflow ? `more than ${maxMixes} mixes within the budget` : mixes;
}
