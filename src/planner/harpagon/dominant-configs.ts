/**
 * The configurations a minimum-cost module plan can need, with those that can never help removed.
 *
 * A configuration A dominates B when, at every budget, n instances of A can stand in for n instances of
 * B in any plan: A is no dearer per instance, carries at least as much, has no longer a batch latency
 * l(b,c) and no longer a fill time, so it needs no more instances to fill its batches in time (the
 * fewest instances for budget L is ⌈fill / (L − l)⌉, DESIGN §3 with dummies). Across hardware kinds the
 * swap moves instances onto A's kind, so A must then have no instance limit. Accuracy plays no part:
 * Harpagon minimises cost only (the paper has no variant choice; any variant is allowed here).
 *
 * Only configurations of the same batch size are compared: across batch sizes capacity and latency
 * trade off, so dominance there is rare (none on the realistic problems of the timing test), and
 * skipping those comparisons makes the scan several times shorter. Keeping a dominated configuration
 * is always safe; it only costs the solves a little time.
 */
import type { HardwareSpec } from '../planning-problem.js';
import type { TupleConfig } from '../tuple-configs.js';

/**
 * Time in ms for one instance running at its capacity (ρ included) to gather the b − 1 requests that
 * complete a batch: the worst-case latency of n such instances is l(b,c) + fillMs / n.
 */
export function fillMsOf(config: TupleConfig): number {
  return config.batch <= 1 ? 0 : (1000 * (config.batch - 1)) / config.instanceRps;
}

/** Kept configurations of one batch size, as columns for a tight scan. */
interface Kept {
  readonly configs: TupleConfig[];
  readonly rps: number[];
  readonly latencyMs: number[];
  readonly fillMs: number[];
  readonly kind: number[];
}

/**
 * The configurations of `configs` that no other of the same batch size dominates, in price order; of
 * exact duplicates the first is kept. First the fastest variant per (hardware, cores, batch), which
 * dominates the others outright, then the pairwise test on what remains.
 */
export function dominantConfigs(configs: readonly TupleConfig[]): TupleConfig[] {
  const kinds = new Map<string, number>();
  const unlimited: boolean[] = [];
  const fastest = new Map<number | string, TupleConfig>();
  let lastHardware: HardwareSpec | undefined;
  let kind = 0;
  for (const config of configs) {
    if (config.hardware !== lastHardware) {
      lastHardware = config.hardware;
      kind = kinds.get(lastHardware.name) ?? kinds.size;
      if (kind === kinds.size) {
        kinds.set(lastHardware.name, kind);
        unlimited.push(lastHardware.maxInstances === undefined);
      }
    }
    const key = slotKey(kind, config.cores, config.batch);
    const held = fastest.get(key);
    if (held === undefined || config.latencyMs < held.latencyMs) fastest.set(key, config);
  }
  const candidates = [...fastest.values()].sort(
    (a, b) =>
      a.instanceCostPerHour - b.instanceCostPerHour ||
      b.instanceRps - a.instanceRps ||
      a.latencyMs - b.latencyMs,
  );
  const byBatch = new Map<number, Kept>();
  const out: TupleConfig[] = [];
  for (const b of candidates) {
    let kept = byBatch.get(b.batch);
    if (kept === undefined) {
      kept = { configs: [], rps: [], latencyMs: [], fillMs: [], kind: [] };
      byBatch.set(b.batch, kept);
    }
    const bKind = kinds.get(b.hardware.name) ?? -1;
    const fillMs = fillMsOf(b);
    if (dominated(kept, b.instanceRps, b.latencyMs, fillMs, bKind, unlimited)) continue;
    kept.configs.push(b);
    kept.rps.push(b.instanceRps);
    kept.latencyMs.push(b.latencyMs);
    kept.fillMs.push(fillMs);
    kept.kind.push(bKind);
    out.push(b);
  }
  return out;
}

/** Whether a kept configuration (all no dearer: price order) dominates this one. */
function dominated(
  kept: Kept,
  rps: number,
  latencyMs: number,
  fillMs: number,
  kind: number,
  unlimited: readonly boolean[],
): boolean {
  for (let i = 0; i < kept.configs.length; i++) {
    if (
      (kept.rps[i] ?? 0) >= rps &&
      (kept.latencyMs[i] ?? 0) <= latencyMs &&
      (kept.fillMs[i] ?? 0) <= fillMs &&
      (kept.kind[i] === kind || unlimited[kept.kind[i] ?? -1] === true)
    )
      return true;
  }
  return false;
}

/** One key per (hardware, cores, batch): a number for integer cores and batches (the usual case). */
function slotKey(kind: number, cores: number, batch: number): number | string {
  const small = Number.isInteger(cores) && cores >= 0 && cores < 65536 && batch < 65536;
  return small ? (kind * 65536 + cores) * 65536 + batch : `${kind}\u0000${cores}\u0000${batch}`;
}
