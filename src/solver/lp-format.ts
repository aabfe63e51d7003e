/**
 * A `MilpModel` (src/ports/solver.ts) as CPLEX LP text, the format HiGHS reads. Ranged constraints
 * become two rows (`name_lo`, `name_hi`); an equality one `=` row. Names are checked to be LP-safe.
 */
import type { MilpModel } from '../ports/solver.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`LP coefficient ${x} is not finite`);
  return Number.isInteger(x) ? String(x) : x.toPrecision(15);
}

function expression(terms: readonly { variable: string; coefficient: number }[]): string {
  const parts = terms
    .filter((t) => t.coefficient !== 0)
    .map((t, i) => {
      const sign = t.coefficient < 0 ? '-' : i === 0 ? '' : '+';
      return `${sign} ${num(Math.abs(t.coefficient))} ${t.variable}`.trim();
    });
  return parts.length === 0 ? '0 __zero' : parts.join(' ');
}

/** The LP text of `model`; throws RangeError for names the format cannot carry or non-finite numbers. */
export function toLpFormat(model: MilpModel): string {
  const names = new Set<string>();
  for (const v of model.variables) {
    if (!NAME.test(v.name)) throw new RangeError(`variable name '${v.name}' is not LP-safe`);
    if (names.has(v.name)) throw new RangeError(`variable '${v.name}' is defined twice`);
    names.add(v.name);
  }
  const lines: string[] = [model.sense === 'minimize' ? 'Minimize' : 'Maximize'];
  const objective = model.variables
    .filter((v) => (v.objective ?? 0) !== 0)
    .map((v) => ({ variable: v.name, coefficient: v.objective ?? 0 }));
  lines.push(` obj: ${expression(objective)}`);
  lines.push('Subject To');
  let usesZero = objective.length === 0;
  for (const c of model.constraints) {
    if (!NAME.test(c.name)) throw new RangeError(`constraint name '${c.name}' is not LP-safe`);
    for (const t of c.terms) {
      if (!names.has(t.variable))
        throw new RangeError(`constraint '${c.name}' uses unknown variable '${t.variable}'`);
    }
    const expr = expression(c.terms);
    if (expr === '0 __zero') usesZero = true;
    const { lower, upper } = c;
    if (lower === undefined && upper === undefined)
      throw new RangeError(`constraint '${c.name}' has no bound`);
    if (lower !== undefined && upper !== undefined && lower === upper)
      lines.push(` ${c.name}: ${expr} = ${num(lower)}`);
    else {
      if (lower !== undefined && lower !== Number.NEGATIVE_INFINITY)
        lines.push(` ${c.name}_lo: ${expr} >= ${num(lower)}`);
      if (upper !== undefined && upper !== Number.POSITIVE_INFINITY)
        lines.push(` ${c.name}_hi: ${expr} <= ${num(upper)}`);
    }
  }
  lines.push('Bounds');
  for (const v of model.variables) {
    const lower = v.lower ?? 0;
    const upper = v.upper ?? (v.type === 'binary' ? 1 : Number.POSITIVE_INFINITY);
    const lo = lower === Number.NEGATIVE_INFINITY ? '-inf' : num(lower);
    const hi = upper === Number.POSITIVE_INFINITY ? '+inf' : num(upper);
    lines.push(` ${lo} <= ${v.name} <= ${hi}`);
  }
  if (usesZero) lines.push(' __zero = 0');
  const generals = model.variables.filter((v) => v.type === 'integer').map((v) => v.name);
  const binaries = model.variables.filter((v) => v.type === 'binary').map((v) => v.name);
  if (generals.length > 0) lines.push('Generals', ` ${generals.join(' ')}`);
  if (binaries.length > 0) lines.push('Binaries', ` ${binaries.join(' ')}`);
  lines.push('End');
  return lines.join('\n');
}
