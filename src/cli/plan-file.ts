/**
 * Reading a planning problem file for `sluice plan`: JSON (or YAML, its superset, for hand-written
 * files), validated against the problem schema and then the semantic checks, every problem named by its
 * field path, all at once.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { SluiceError } from '../core/errors.js';
import { problemIssues } from '../planner/problem-checks.js';
import { PLAN_SCHEMA, PROBLEM_SCHEMA } from '../planner/problem-schema.js';
import type { Plan } from '../planner/plan.js';
import type { PlanningProblem } from '../planner/planning-problem.js';
import { displayPath } from '../runtime/display-path.js';

const ajv = new Ajv({ allErrors: true, strict: true });
const validateProblem = ajv.compile<PlanningProblem>(PROBLEM_SCHEMA);
const validatePlan = ajv.compile<Plan>(PLAN_SCHEMA);

/** Ajv's errors as "field.path: message" sentences; `oneOf` branches are summarised, not listed. */
export function schemaProblems(errors: readonly ErrorObject[] | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errors ?? []) {
    const at = e.instancePath === '' ? '(document)' : e.instancePath.slice(1).replaceAll('/', '.');
    const detail =
      e.keyword === 'additionalProperties'
        ? `unknown key '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === 'enum' || e.keyword === 'const'
          ? `${e.message ?? 'is invalid'} (${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)})`
          : (e.message ?? 'is invalid');
    const line = `${at}: ${detail}`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}

/** The problem in `text`, or throws INVALID_CONFIG listing every problem (prefixed with `where`). */
export function parseProblem(text: string, where: string): PlanningProblem {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `${where}: not JSON or YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!validateProblem(document)) {
    const problems = schemaProblems(validateProblem.errors).slice(0, 20);
    throw new SluiceError(
      'INVALID_CONFIG',
      `${where}: not a valid planning problem:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const issues = problemIssues(document);
  if (issues.length > 0)
    throw new SluiceError(
      'INVALID_CONFIG',
      `${where}: not a valid planning problem:\n${issues.map((p) => `  ${p}`).join('\n')}`,
    );
  return document;
}

export async function readProblemFile(path: string): Promise<PlanningProblem> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `${displayPath(path)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return parseProblem(text, displayPath(path));
}

/** Schema problems of a plan (empty when it conforms): the plan format is checked like the problem's. */
export function planSchemaProblems(plan: unknown): string[] {
  return validatePlan(plan) ? [] : schemaProblems(validatePlan.errors);
}
