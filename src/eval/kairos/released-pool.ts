/**
 * A diagnostic pool: the one KAIROS's released query distributor runs (boringlee24/hpdc23-kairos,
 * config.json at commit 0b2f216: 2x g4dn.xlarge + 9x r5n.large, $2.393/h; the distributor's default
 * model is rm2). It has one more GPU than the pool the fluid bound ranks first for rm2 (1x g4dn.xlarge
 * + 13x r5n.large), so simulating it beside that pool shows what GPU headroom is worth once queries
 * queue, which the fluid bound does not see. As a plan: one tuple per type at its full cores, batch 1,
 * with the planner's bound of the pool (p99 tables, ρ = 0.9) as its capacity.
 */
import type { Plan, PlanTuple } from '../../planner/plan.js';
import type { KairosModelProblems } from './kairos-problems.js';
import { poolCapacity } from './pool-capacity.js';

/** Instances per type of KAIROS's released config.json. */
export const RELEASED_POOL: Readonly<Record<string, number>> = { 'g4dn.xlarge': 2, 'r5n.large': 9 };

/** The released pool as a plan for `problems`' model. */
export function releasedPoolPlan(problems: KairosModelProblems): Plan {
  const { planning } = problems;
  const module = planning.modules[0];
  const variant = module?.variants[0];
  const tuples: PlanTuple[] = planning.hardware.flatMap((h) => {
    const instances = RELEASED_POOL[h.name] ?? 0;
    if (instances === 0 || variant === undefined) return [];
    return [
      {
        variant: variant.name,
        hardware: h.name,
        cores: h.maxCores,
        batch: 1,
        instances,
        rateRps: 0,
        dummyRps: 0,
      },
    ];
  });
  const costPerHour = tuples.reduce(
    (sum, t) => sum + t.instances * (planning.hardware.find((h) => h.name === t.hardware)?.pricePerHour ?? 0),
    0,
  );
  const draft: Plan = {
    feasible: true,
    planner: 'kairos-released-config',
    costPerHour,
    cores: 0,
    capacityRps: 0,
    accuracy: 1,
    objectiveValue: 0,
    predicted: { latencyMs: {} },
    apps: [],
    modules: [{ name: module?.name ?? problems.model, budgetMs: planning.apps[0]?.sloMs ?? 0, tuples }],
    reason: "the pool of KAIROS's released distributor config (config.json)",
  };
  const capacityRps = poolCapacity(problems, draft, { percentile: 'p99', rho: 0.9 });
  return { ...draft, capacityRps, objectiveValue: capacityRps };
}
