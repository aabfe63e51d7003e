/**
 * `sluice plan`: runs a planner (or every planner) on a planning problem file and prints the plan, as a
 * table or as JSON in the plan format.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Plan } from '../../planner/plan.js';
import { DEFAULT_PLANNER, PLANNERS, plannerByName } from '../../planner/planner-registry.js';
import { PLAN_SCHEMA, PROBLEM_SCHEMA } from '../../planner/problem-schema.js';
import { HighsSolver } from '../../solver/highs-solver.js';
import { UsageError, type Command } from '../command.js';
import { oneOf } from '../option-parsers.js';
import { readProblemFile } from '../plan-file.js';
import { formatComparison, formatPlan } from '../plan-format.js';

function help(): string {
  const width = Math.max(...PLANNERS.map((p) => p.name.length), 8);
  const list = PLANNERS.map(
    (p) => `  ${p.name.padEnd(width)}  ${p.exact ? 'exact    ' : 'heuristic'}  ${p.summary}`,
  );
  return `usage: sluice plan --problem FILE [--planner NAME | --all] [--json]
       sluice plan --schema problem|plan

Runs a planner on a planning problem (objective, budget, hardware, modules with their variants' latency
models, applications with their SLO and rate; format in docs/planning.md) and prints the plan: per
module its latency budget and the tuples (variant, hardware, cores, batch, instances) carrying its rate,
with the predicted cost, capacity, accuracy and latency. Every plan is checked against the planning
model; an infeasible problem gives a plan with feasible: false and the binding constraint.

options:
  --problem FILE     the planning problem (JSON, or YAML)
  --planner NAME     which planner (default ${DEFAULT_PLANNER})
  --all              run every planner and compare them side by side
  --json             print the plan (with --all: the plans) as JSON
  --schema WHAT      print the JSON Schema of the problem or the plan format
  -h, --help         show this help

planners:
${list.join('\n')}`;
}

export const command: Command = {
  get help() {
    return help();
  },
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          problem: { type: 'string' },
          planner: { type: 'string' },
          all: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          schema: { type: 'string' },
        },
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.schema !== undefined) {
      const which = oneOf(values.schema, '--schema', ['problem', 'plan'] as const);
      process.stdout.write(
        `${JSON.stringify(which === 'problem' ? PROBLEM_SCHEMA : PLAN_SCHEMA, null, 2)}\n`,
      );
      return 0;
    }
    if (values.problem === undefined) throw new UsageError('--problem is required');
    if (values.all && values.planner !== undefined)
      throw new UsageError('--all and --planner exclude each other');
    const chosen = values.all ? PLANNERS : [plannerByName(values.planner ?? DEFAULT_PLANNER)];
    if (chosen[0] === undefined)
      throw new UsageError(
        `--planner: no planner '${values.planner ?? DEFAULT_PLANNER}' (${PLANNERS.map((p) => p.name).join(', ')})`,
      );
    const problem = await readProblemFile(values.problem);
    const solver = await HighsSolver.create();
    const results: { plan: Plan; ms: number }[] = [];
    for (const entry of chosen) {
      if (entry === undefined) continue;
      const began = performance.now();
      const plan = entry.plan(problem, { solver });
      results.push({ plan, ms: performance.now() - began });
    }
    if (values.json) {
      const plans = results.map((r) => r.plan);
      process.stdout.write(`${JSON.stringify(values.all ? plans : plans[0], null, 2)}\n`);
    } else if (values.all) {
      process.stdout.write(`${formatComparison(results, problem.objective.kind)}\n`);
    } else if (results[0] !== undefined) {
      process.stdout.write(`${formatPlan(results[0].plan, problem.objective.kind)}\n`);
    }
    return results.every((r) => r.plan.feasible) ? 0 : 3;
  },
};
