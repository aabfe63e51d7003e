/**
 * A dense simplex for the oracle's tiny linear programs: maximise c·x subject to A·x ≤ b, x ≥ 0, with
 * b ≥ 0 (so the origin is a feasible start and one phase suffices). Bland's rule (lowest index enters
 * and leaves) rules out cycling. Meant for a handful of variables, written for clarity, not speed.
 */

export interface LpResult {
  readonly value: number;
  readonly x: number[];
}

const EPS = 1e-12;

export function maximizeLp(
  c: readonly number[],
  a: readonly (readonly number[])[],
  b: readonly number[],
): LpResult {
  const n = c.length;
  const m = b.length;
  if (b.some((v) => v < 0)) throw new RangeError('maximizeLp needs b >= 0');
  // Tableau rows: [A | I | b]; objective row: [-c | 0 | 0].
  const t = a.map((row, i) => [...row, ...Array.from({ length: m }, (_, k) => (k === i ? 1 : 0)), b[i]!]);
  const z = [...c.map((v) => -v), ...Array.from({ length: m + 1 }, () => 0)];
  const basis = Array.from({ length: m }, (_, i) => n + i);
  for (let iteration = 0; iteration < 10_000; iteration++) {
    const enter = z.slice(0, n + m).findIndex((v) => v < -EPS);
    if (enter < 0) break;
    let leave = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const coefficient = t[i]![enter]!;
      if (coefficient <= EPS) continue;
      const ratio = t[i]![n + m]! / coefficient;
      if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[i]! < basis[leave]!)) {
        best = ratio;
        leave = i;
      }
    }
    if (leave < 0) throw new RangeError('maximizeLp: unbounded');
    const pivot = t[leave]![enter]!;
    const row = t[leave]!.map((v) => v / pivot);
    t[leave] = row;
    for (let i = 0; i < m; i++) {
      if (i === leave) continue;
      const f = t[i]![enter]!;
      if (f !== 0) t[i] = t[i]!.map((v, k) => v - f * row[k]!);
    }
    const f = z[enter]!;
    for (let k = 0; k <= n + m; k++) z[k] = z[k]! - f * row[k]!;
    basis[leave] = enter;
  }
  const x = Array.from({ length: n }, () => 0);
  basis.forEach((variable, i) => {
    if (variable < n) x[variable] = t[i]![n + m]!;
  });
  return { value: z[n + m]!, x };
}
