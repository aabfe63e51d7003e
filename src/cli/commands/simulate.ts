/**
 * `sluice simulate`: runs a scenario in the simulator (Sluice's own engine, control loop, forecaster and
 * planner on a virtual clock, batch times from the latency models) and prints the outcome: SLO
 * attainment, goodput, latency percentiles, cost, accuracy served, plan changes; with --out, a report
 * folder with the result as JSON and a time-series chart of load, allocation and latency.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runSimulation } from '../../sim/run-simulation.js';
import { compileScenario, ScenarioError } from '../../sim/scenario.js';
import { renderRunChart } from '../../eval/run-chart.js';
import { HighsSolver } from '../../solver/highs-solver.js';
import { UsageError, type Command } from '../command.js';
import { nonNegativeInteger } from '../option-parsers.js';
import { readScenarioFile } from '../scenario-file.js';
import { formatSimulation } from '../simulation-format.js';

const help = `usage: sluice simulate --scenario FILE [--seed N] [--policy NAME] [--json] [--out DIR] [--event-log FILE]

Runs a scenario (problem, workloads, SLO source, policy, forecaster, control settings, delays, seed;
format in docs/simulation.md) through Sluice's own engine, control loop and planners on a virtual clock,
with batch times drawn from the latency models and actions taking their profiled delays.

options:
  --scenario FILE    the scenario (JSON or YAML)
  --seed N           override the scenario's seed
  --policy NAME      override the scenario's policy (a planner name; static = no adaptation)
  --traces DIR       trace files (default ../shared/traces)
  --json             print the result as JSON (time series and decisions included)
  --out DIR          write result.json and run.svg (load, allocation, latency over time) into DIR
  --event-log FILE   write the event log (one line per arrival, outcome, decision, instance event)
  -h, --help         show this help`;

export const command: Command = {
  help,
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          scenario: { type: 'string' },
          seed: { type: 'string' },
          policy: { type: 'string' },
          traces: { type: 'string' },
          json: { type: 'boolean', default: false },
          out: { type: 'string' },
          'event-log': { type: 'string' },
        },
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.scenario === undefined) throw new UsageError('--scenario is required');
    const loaded = await readScenarioFile(
      values.scenario,
      ...(values.traces === undefined ? [] : [values.traces]),
    );
    const solver = await HighsSolver.create();
    let spec;
    try {
      spec = compileScenario(loaded.scenario, {
        problem: loaded.problem,
        trace: loaded.trace,
        solver,
        eventLog: values['event-log'] !== undefined,
        ...(values.seed === undefined ? {} : { seed: nonNegativeInteger(values.seed, '--seed') }),
        ...(values.policy === undefined ? {} : { policy: values.policy }),
      });
    } catch (error) {
      if (error instanceof ScenarioError) throw new UsageError(`${values.scenario}: ${error.message}`);
      throw error;
    }
    const began = performance.now();
    const result = runSimulation(spec);
    const wallMs = performance.now() - began;
    const name = loaded.scenario.name ?? values.scenario;
    if (values['event-log'] !== undefined) {
      const text = `${(result.eventLog ?? []).join('\n')}\n`;
      writeFileSync(values['event-log'], text);
      process.stderr.write(
        `sluice simulate: event log ${values['event-log']} (sha256 ${createHash('sha256').update(text).digest('hex')})\n`,
      );
    }
    if (values.out !== undefined) {
      mkdirSync(values.out, { recursive: true });
      writeFileSync(
        join(values.out, 'result.json'),
        `${JSON.stringify({ ...result, eventLog: undefined }, null, 2)}\n`,
      );
      writeFileSync(
        join(values.out, 'run.svg'),
        renderRunChart(result, {
          title: `${name}: ${spec.planner.name}`,
          sloMs: Math.min(...spec.problem.apps.map((a) => a.sloMs)),
        }),
      );
    }
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ ...result, eventLog: undefined, wallMs }, null, 2)}\n`
        : `${formatSimulation(result, { name, policy: spec.planner.name, wallMs })}\n`,
    );
    return 0;
  },
};
