/**
 * Latency-model math shared by the engine, planners, simulator and profiler.
 *
 * Sponge's model: the execution time of one batch of `batch` requests on `cores` (fractional) cores is
 *   l(b, c) = γ·b/c + δ·b + ε/c + η   (milliseconds)
 * with γ the parallel per-item cost, δ the serial per-item cost, ε the parallel fixed cost, η the serial
 * fixed cost. A table model interpolates measured points instead (below the fewest cores measured it
 * scales as 1/c, above the most it stays at the last measured value).
 */

export interface Sponge4Model {
  readonly kind: 'sponge4';
  /** Parallel per-item cost, core·ms per request. */
  readonly gamma: number;
  /** Serial per-item cost, ms per request. */
  readonly delta: number;
  /** Parallel fixed cost, core·ms per batch. */
  readonly epsilon: number;
  /** Serial fixed cost, ms per batch. */
  readonly eta: number;
}

export interface LatencyPoint {
  readonly batch: number;
  readonly cores: number;
  readonly latencyMs: number;
}

/** Measured points; estimates interpolate linearly in batch and in 1/cores between the nearest points. */
export interface LatencyTable {
  readonly kind: 'table';
  readonly points: readonly LatencyPoint[];
}

export type LatencyModel = Sponge4Model | LatencyTable;

export function sponge4LatencyMs(m: Sponge4Model, batch: number, cores: number): number {
  return (m.gamma * batch) / cores + m.delta * batch + m.epsilon / cores + m.eta;
}

/** Execution time in ms of one batch of `batch` requests on `cores` cores under a latency model. */
export function estimateLatencyMs(model: LatencyModel, batch: number, cores: number): number {
  if (model.kind === 'sponge4') return sponge4LatencyMs(model, batch, cores);
  return interpolateTable(model.points, batch, cores);
}

/** Requests per millisecond one instance sustains: μ = b / l(b, c). */
export function throughputPerMs(model: LatencyModel, batch: number, cores: number): number {
  return batch / estimateLatencyMs(model, batch, cores);
}

/** A table's points grouped by cores (ascending), each group sorted by batch: built once per table. */
interface CompiledTable {
  readonly cores: readonly number[];
  readonly byCores: readonly (readonly LatencyPoint[])[];
}

const compiled = new WeakMap<readonly LatencyPoint[], CompiledTable>();

function compile(points: readonly LatencyPoint[]): CompiledTable {
  let table = compiled.get(points);
  if (table === undefined) {
    const cores = [...new Set(points.map((p) => p.cores))].sort((a, b) => a - b);
    table = {
      cores,
      byCores: cores.map((c) => points.filter((p) => p.cores === c).sort((a, b) => a.batch - b.batch)),
    };
    compiled.set(points, table);
  }
  return table;
}

function interpolateTable(points: readonly LatencyPoint[], batch: number, cores: number): number {
  if (points.length === 0) throw new RangeError('latency table has no points');
  const table = compile(points);
  const fewest = table.cores[0];
  if (fewest !== undefined && cores < fewest) {
    // Below the fewest cores measured: a CPU quota stretches the work in proportion (never faster).
    return (interpolateBatch(table.byCores[0] ?? [], batch) * fewest) / cores;
  }
  const [lo, hi, t] = bracket(table.cores, cores, (c) => 1 / c);
  const atLo = interpolateBatch(table.byCores[table.cores.indexOf(lo)] ?? [], batch);
  if (hi === lo) return atLo;
  const atHi = interpolateBatch(table.byCores[table.cores.indexOf(hi)] ?? [], batch);
  return atLo + (atHi - atLo) * t;
}

/** Linear in batch between the two measured batches around it (`sorted` by batch). */
function interpolateBatch(sorted: readonly LatencyPoint[], batch: number): number {
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('latency table bracket not found');
  if (batch <= first.batch) return first.latencyMs;
  if (batch >= last.batch) {
    // Outside the measured range: extrapolate proportionally from the nearest point.
    return batch > last.batch && sorted.length > 1 ? extrapolate(sorted, batch) : last.latencyMs;
  }
  let lo = 0;
  let hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid]?.batch ?? 0) <= batch) lo = mid;
    else hi = mid;
  }
  const pLo = sorted[lo];
  const pHi = sorted[hi];
  if (pLo === undefined || pHi === undefined) throw new RangeError('latency table bracket not found');
  if (pLo.batch === batch) return pLo.latencyMs;
  return pLo.latencyMs + ((pHi.latencyMs - pLo.latencyMs) * (batch - pLo.batch)) / (pHi.batch - pLo.batch);
}

function extrapolate(sorted: readonly LatencyPoint[], batch: number): number {
  const a = sorted[sorted.length - 2];
  const b = sorted[sorted.length - 1];
  if (a === undefined || b === undefined) throw new RangeError('latency table too small to extrapolate');
  const slope = (b.latencyMs - a.latencyMs) / (b.batch - a.batch);
  return b.latencyMs + Math.max(0, slope) * (batch - b.batch);
}

/**
 * The two sorted values around x and the interpolation weight between them, measured in f(x).
 * Outside the range both bounds are the nearest value and the weight is 0.
 */
function bracket(values: readonly number[], x: number, f: (v: number) => number): [number, number, number] {
  const first = values[0];
  const last = values[values.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('empty bracket');
  if (x <= first) return [first, first, 0];
  if (x >= last) return [last, last, 0];
  for (let i = 1; i < values.length; i++) {
    const hi = values[i];
    const lo = values[i - 1];
    if (hi === undefined || lo === undefined) continue;
    if (x <= hi) return [lo, hi, (f(x) - f(lo)) / (f(hi) - f(lo))];
  }
  return [last, last, 0];
}
