/**
 * Reading a scenario file for `sluice simulate`: JSON or YAML, validated against the scenario schema;
 * `problem` inline or a path (relative to the scenario file) to a problem file; the traces its workloads
 * name read from the traces folder (default ../shared/traces).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { SluiceError } from '../core/errors.js';
import { problemIssues } from '../planner/problem-checks.js';
import type { PlanningProblem } from '../planner/planning-problem.js';
import { SCENARIO_SCHEMA } from '../sim/scenario-schema.js';
import type { Scenario } from '../sim/scenario.js';
import { displayPath } from '../runtime/display-path.js';
import { readProblemFile, schemaProblems } from './plan-file.js';

/** <repo>/../shared/traces, from src/cli or dist/cli alike. */
export const DEFAULT_TRACES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../..',
  '../shared/traces',
);

const validate = new Ajv({ allErrors: true, strict: false }).compile<
  Scenario & { problem: string | PlanningProblem }
>(SCENARIO_SCHEMA);

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly problem: PlanningProblem;
  /** Trace text by file name, read on first use. */
  readonly trace: (file: string) => string;
}

export async function readScenarioFile(
  path: string,
  tracesDir = DEFAULT_TRACES_DIR,
): Promise<LoadedScenario> {
  const shown = displayPath(path);
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `${shown}: cannot be read as JSON or YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!validate(document)) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `${shown}: not a valid scenario:\n${schemaProblems(validate.errors)
        .slice(0, 20)
        .map((p) => `  ${p}`)
        .join('\n')}`,
    );
  }
  const { problem: given, ...scenario } = document;
  let problem: PlanningProblem;
  if (typeof given === 'string') {
    problem = await readProblemFile(isAbsolute(given) ? given : resolve(dirname(path), given));
  } else {
    const issues = problemIssues(given);
    if (issues.length > 0) throw new SluiceError('INVALID_CONFIG', `${shown}: problem: ${issues.join('; ')}`);
    problem = given;
  }
  const cache = new Map<string, string>();
  const trace = (file: string): string => {
    const full = join(tracesDir, file);
    let text = cache.get(full);
    if (text === undefined) {
      if (!existsSync(full))
        throw new SluiceError(
          'INVALID_CONFIG',
          `${shown}: needs the trace ${displayPath(full)}, which is missing`,
        );
      text = readFileSync(full, 'utf8');
      cache.set(full, text);
    }
    return text;
  };
  return { scenario, problem, trace };
}
